package net.b4mad.successor.safetensors;

/**
 * The element types a safetensors header may name, with their sizes, so that any file's offsets can be checked
 * even where this project cannot read the values. Only {@link #F32}, {@link #BF16} and {@link #F16} are read as
 * floats.
 */
public enum Dtype {
  BOOL(1),
  U8(1),
  I8(1),
  F8_E5M2(1),
  F8_E4M3(1),
  I16(2),
  U16(2),
  F16(2),
  BF16(2),
  I32(4),
  U32(4),
  F32(4),
  F64(8),
  I64(8),
  U64(8);

  private final int byteSize;

  Dtype(int byteSize) {
    this.byteSize = byteSize;
  }

  public int byteSize() {
    return byteSize;
  }

  public boolean readableAsFloat() {
    return this == F32 || this == BF16 || this == F16;
  }

  /**
   * The dtype a model config's {@code torch_dtype} names, where it is one this project writes weights in
   * ({@code bfloat16}, {@code float32}); null for any other, which each caller refuses in its own words.
   */
  public static Dtype ofTorchDtype(String torchDtype) {
    return switch (torchDtype) {
      case "bfloat16" -> BF16;
      case "float32" -> F32;
      default -> null;
    };
  }

  /** The reverse of {@link #ofTorchDtype}: the {@code torch_dtype} a config of weights in this dtype states. */
  public String torchDtype() {
    return switch (this) {
      case BF16 -> "bfloat16";
      case F32 -> "float32";
      default -> throw new IllegalArgumentException("weights are written as BF16 or F32, not " + this);
    };
  }

  /** The header's spelling ({@code "BF16"}); an unknown name is an error that names it. */
  public static Dtype parse(String name) {
    for (Dtype dtype : values()) {
      if (dtype.name().equals(name)) {
        return dtype;
      }
    }
    throw new IllegalArgumentException("unknown safetensors dtype '" + name + "'");
  }
}
