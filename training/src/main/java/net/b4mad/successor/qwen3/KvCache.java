package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the tokens seen so far, per layer, {@code [B, kvHeads, S, headDim]}, so that decoding a
 * token costs one position instead of the whole prefix. Owns its arrays: they outlive each step's manager.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Tokens cached so far. */
  public int length() {
    return length;
  }

  /** Appends a step's keys and values for one layer and returns the full ones (cached + new). */
  NDArray[] append(int layer, NDArray key, NDArray value) {
    keys[layer] = extend(keys[layer], key);
    values[layer] = extend(values[layer], value);
    return new NDArray[] {keys[layer], values[layer]};
  }

  /** Called once per forward pass, after every layer appended {@code added} positions. */
  void advance(int added) {
    length += added;
  }

  private NDArray extend(NDArray cached, NDArray added) {
    NDArray result = cached == null ? added.duplicate() : cached.concat(added, 2);
    result.attach(manager);
    if (cached != null) {
      cached.close();
    }
    return result;
  }

  @Override
  public void close() {
    manager.close();
  }
}
