package net.b4mad.successor.device;

/**
 * The accelerator DJL would run on, as seen by the PyTorch engine.
 *
 * @param available whether the engine loaded at all; when false, {@code error} says why
 * @param engine engine name, e.g. "PyTorch"
 * @param engineVersion the native library version, e.g. "2.7.1"
 * @param device DJL's default device, e.g. "cpu()" or "gpu(0)"
 * @param gpuCount number of CUDA devices the engine can see
 * @param error why the engine could not be loaded, or null
 */
public record ComputeDevice(
    boolean available, String engine, String engineVersion, String device, int gpuCount, String error) {

  static ComputeDevice unavailable(String engine, String error) {
    return new ComputeDevice(false, engine, null, null, 0, error);
  }
}
