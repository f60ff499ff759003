package net.b4mad.successor.safetensors;

import java.util.List;

/**
 * One tensor's header entry. {@code begin} and {@code end} are byte offsets relative to the data section (the
 * bytes after the header), as the file stores them.
 */
public record TensorInfo(String name, Dtype dtype, List<Long> shape, long begin, long end) {

  public TensorInfo {
    shape = List.copyOf(shape);
  }

  public long elementCount() {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  public long byteSize() {
    return end - begin;
  }

  public long[] shapeArray() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }
}
