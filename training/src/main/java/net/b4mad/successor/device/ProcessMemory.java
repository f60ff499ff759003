package net.b4mad.successor.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: Java heap, native tensors and
 * libtorch alike, which is what decides whether a run fits the machine. -1 where there is no such file.
 */
public final class ProcessMemory {

  private ProcessMemory() {}

  public static long residentBytes() {
    return statusKilobytes("VmRSS:") * 1024;
  }

  /** The high-water mark since the process started. */
  public static long peakResidentBytes() {
    return statusKilobytes("VmHWM:") * 1024;
  }

  /** Memory the system could give to a new workload without swapping ({@code MemAvailable}); -1 where unknown. */
  public static long availableSystemBytes() {
    return kilobytes(Path.of("/proc/meminfo"), "MemAvailable:") * 1024;
  }

  private static long statusKilobytes(String field) {
    return kilobytes(Path.of("/proc/self/status"), field);
  }

  private static long kilobytes(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
