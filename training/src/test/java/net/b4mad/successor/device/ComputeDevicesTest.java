package net.b4mad.successor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComputeDevicesTest {

  @Test
  void loadsThePyTorchEngineFromTheBundledNativeLibrary() {
    ComputeDevice device = ComputeDevices.probe();

    assertTrue(device.available(), () -> "engine failed to load: " + device.error());
    assertEquals("PyTorch", device.engine());
    assertTrue(device.engineVersion().startsWith("2.7.1"), device.engineVersion());
    // CI and developer machines have no GPU; the default device must then be the CPU.
    if (device.gpuCount() == 0) {
      assertEquals("cpu()", device.device());
    }
  }

  @Test
  void probesOnlyOnce() {
    assertSame(ComputeDevices.probe(), ComputeDevices.probe());
  }
}
