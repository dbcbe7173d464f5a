package io.custos.agent.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the one-value files of {@code /sys} and {@code /proc}. Many of them cannot be read in
 * some states (a NIC's {@code speed} is {@code EINVAL} while its link is down), so a missing or
 * unreadable file is null, not an error.
 */
final class SysText {
  private SysText() {}

  /** The file's text without surrounding blanks, or null when it is missing or unreadable. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The file's value as a long, or null when missing, unreadable or not a number. */
  static Long readLong(Path file) {
    String s = read(file);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The names in a directory, sorted; empty when it does not exist. */
  static List<String> list(Path dir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        out.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(null);
    return out;
  }
}
