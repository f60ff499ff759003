package net.b4mad.successor.device;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Finds the device DJL would use. Loading the PyTorch engine costs seconds (native library extraction and
 * load), so nothing here runs until someone asks, and the answer is remembered for the life of the process.
 */
public final class ComputeDevices {

  public static final String ENGINE = "PyTorch";

  private static volatile ComputeDevice probed;

  private ComputeDevices() {}

  /** Makes DJL use the native library shipped in the jar and never download one. */
  public static void forceOffline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  public static ComputeDevice probe() {
    ComputeDevice result = probed;
    if (result == null) {
      synchronized (ComputeDevices.class) {
        result = probed;
        if (result == null) {
          result = load();
          probed = result;
        }
      }
    }
    return result;
  }

  /** The device models run on: the engine's default, i.e. the first GPU when there is one, else the CPU. */
  public static Device defaultDevice() {
    forceOffline();
    return Engine.getEngine(ENGINE).defaultDevice();
  }

  /**
   * The memory a training run on the default device can use: the GPU's total memory, or on the CPU the memory
   * the system reports available (MemAvailable). -1 when unknown.
   */
  public static long trainingMemoryBytes() {
    Device device = defaultDevice();
    if (device.isGpu()) {
      return ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getMax();
    }
    return ProcessMemory.availableSystemBytes();
  }

  private static ComputeDevice load() {
    forceOffline();
    try {
      Engine engine = Engine.getEngine(ENGINE);
      return new ComputeDevice(
          true,
          engine.getEngineName(),
          engine.getVersion(),
          engine.defaultDevice().toString(),
          engine.getGpuCount(),
          null);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return ComputeDevice.unavailable(ENGINE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
