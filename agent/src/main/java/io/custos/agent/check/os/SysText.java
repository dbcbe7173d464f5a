package io.custos.agent.check.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the one-value files of {@code /sys} and {@code /proc}. Many of them cannot be read in
 * some states (a NIC's {@code speed} is {@code EINVAL} while its link is down), so a missing or
 * unreadable file is null, not an error.
 */
public final class SysText {
  private SysText() {}

  /** The file's text without surrounding blanks, or null when it is missing or unreadable. */
  public static String read(Path file) {
    try {
      return text(file).strip();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The whole file as text. Bytes that are not UTF-8 (a mount point or process name in Latin-1)
   * become U+FFFD instead of failing the read: kernel text is not guaranteed to be UTF-8.
   *
   * @throws NoSuchFileException as it is, so callers can treat "absent" specially
   * @throws IOException naming the file and what was wrong ({@code /proc/mdstat: is a directory})
   */
  public static String text(Path file) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(file + ": " + reason(e), e);
    }
  }

  /** The file's lines, as {@link #text} reads it. */
  public static List<String> lines(Path file) throws IOException {
    return text(file).lines().toList();
  }

  /** What went wrong, without the path a {@code FileSystemException} repeats: "is a directory". */
  public static String reason(IOException e) {
    String r = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (r == null || r.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return Character.toLowerCase(r.charAt(0)) + r.substring(1);
  }

  /** The file's value as a long, or null when missing, unreadable or not a number. */
  public static Long readLong(Path file) {
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
  public static List<String> list(Path dir) {
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
