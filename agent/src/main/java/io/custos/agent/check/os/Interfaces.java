package io.custos.agent.check.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which network interfaces under {@code <root>/sys/class/net} are physical ports, and what their
 * sysfs values mean. Shared by the {@code nic} and {@code network} checks.
 */
public final class Interfaces {
  // Kernel-made virtual devices; on a live system they also live under /sys/devices/virtual/net.
  private static final Pattern VIRTUAL_NAME =
      Pattern.compile("lo|docker\\d*|veth.*|virbr.*|br-.*|vnet\\d+|tun\\d+|tap.*|wg\\d+|dummy\\d*");

  private Interfaces() {}

  /**
   * The physical interfaces, sorted by name: those with a {@code device} link, and those that are
   * neither under {@code sys/devices/virtual/net} nor a bridge, bond, loopback or a name the kernel
   * gives virtual devices ({@code docker0}, {@code veth*}, {@code virbr*}). Captured trees often
   * lack {@code device}; a live sysfs always has it for hardware.
   */
  public static List<String> physical(Path root) {
    Path net = root.resolve("sys/class/net");
    Path virtual = root.resolve("sys/devices/virtual/net");
    List<String> out = new ArrayList<>();
    for (String n : SysText.list(net)) {
      Path dir = net.resolve(n);
      if (Files.exists(dir.resolve("device"))) {
        out.add(n);
        continue;
      }
      if (Files.exists(virtual.resolve(n))
          || linksToVirtual(dir)
          || Files.isDirectory(dir.resolve("bridge"))
          || Files.isDirectory(dir.resolve("bonding"))
          || VIRTUAL_NAME.matcher(n).matches()) {
        continue;
      }
      out.add(n);
    }
    return out;
  }

  private static boolean linksToVirtual(Path dir) {
    try {
      return Files.isSymbolicLink(dir)
          && Files.readSymbolicLink(dir).toString().contains("/virtual/");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A link speed in Mb/s from sysfs {@code speed}, or -1 when unknown. Drivers say "unknown" in
   * several ways: {@code -1} (SPEED_UNKNOWN), {@code 0}, {@code 65535} (a u16 -1) and {@code
   * 4294967295} (a u32 -1); none of them is a speed.
   */
  public static long speedMbps(Long raw) {
    if (raw == null || raw <= 0 || raw == 65535L || raw >= 4294967295L) {
      return -1;
    }
    return raw;
  }

  /**
   * The interface flags ({@code IFF_*}) from sysfs {@code flags} ({@code 0x1003}), or -1 when the
   * file is missing or malformed.
   */
  public static long flags(Path dir) {
    String s = SysText.read(dir.resolve("flags"));
    if (s == null) {
      return -1;
    }
    try {
      return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
