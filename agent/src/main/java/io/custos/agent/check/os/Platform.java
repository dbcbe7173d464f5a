package io.custos.agent.check.os;

import io.custos.agent.check.CheckContext;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where checks read the machine from. On Linux, and for any root other than {@code /} (a fixture
 * tree, a host's root mounted into a container), they read {@code /proc} and {@code /sys} under the
 * root. On other systems (FreeBSD, macOS) at {@code /} there is no such text, and the checks that
 * can (file systems, NICs, sensors) read through OSHI instead.
 */
public final class Platform {
  /** True on Linux. */
  public static final boolean LINUX =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

  private Platform() {}

  /** True when {@code root} is the live system's {@code /}. */
  public static boolean live(Path root) {
    return root.toAbsolutePath().normalize().equals(Path.of("/").toAbsolutePath());
  }

  /** True when a check should read through OSHI rather than {@code /proc} and {@code /sys}. */
  public static boolean oshi(CheckContext context) {
    return !LINUX && live(context.root());
  }
}
