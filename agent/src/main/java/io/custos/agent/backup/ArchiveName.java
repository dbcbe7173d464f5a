package io.custos.agent.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of an archive: {@code <node>.<set>.<UTC
 * yyyyMMdd'T'HHmmss'Z'>.<full|diff|incr>.tar[.<ext>]}, e.g. {@code
 * web01.www.20261127T010000Z.full.tar.zst}, plus {@code .age} when the archive is encrypted with
 * {@link Age}.
 *
 * <p>Set names are {@code [A-Za-z0-9_-]+}; node names may also hold dots (host names), so a name is
 * parsed from the right. The time has whole seconds; finer parts are dropped. Construction with a
 * bad part is an {@link IllegalArgumentException} naming it; {@link #tryParse} returns empty for a
 * file name that is not an archive name, so listings skip foreign files instead of failing.
 *
 * @param node the node (host) name
 * @param set the backup set
 * @param created when the backup started, UTC, truncated to seconds
 * @param level full, diff or incr
 * @param compression the compression, which gives the extension
 * @param encrypted whether the archive is age-encrypted ({@code .age} appended)
 */
public record ArchiveName(
    String node,
    String set,
    Instant created,
    Level level,
    Compression compression,
    boolean encrypted) {

  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  private static final Pattern SET = Pattern.compile("[A-Za-z0-9_-]+");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern NAME =
      Pattern.compile(
          "([A-Za-z0-9_][A-Za-z0-9_.-]*)\\.([A-Za-z0-9_-]+)\\.(\\d{8}T\\d{6}Z)\\.(full|diff|incr)"
              + "\\.tar(\\.(gz|bz2|xz|lz4|zst))?(\\.age)?");

  /** A clear (not encrypted) archive's name. */
  public ArchiveName(String node, String set, Instant created, Level level, Compression c) {
    this(node, set, created, level, c, false);
  }

  /** Validates every part; see the class comment. */
  public ArchiveName {
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(compression, "compression");
    if (node == null || !NODE.matcher(node).matches() || node.endsWith(".")) {
      throw new IllegalArgumentException(
          "node name must match [A-Za-z0-9_][A-Za-z0-9_.-]*, got \"" + node + "\"");
    }
    if (set == null || !SET.matcher(set).matches()) {
      throw new IllegalArgumentException("set name must match [A-Za-z0-9_-]+, got \"" + set + "\"");
    }
    created = created.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The file name, e.g. {@code web01.www.20261127T010000Z.full.tar.zst}. */
  public String fileName() {
    return node
        + "."
        + set
        + "."
        + STAMP.format(created)
        + "."
        + level.token()
        + compression.suffix()
        + (encrypted ? Age.SUFFIX : "");
  }

  /**
   * The clear sidecar manifest's file name: the clear archive name plus {@code .manifest.json}. For
   * an encrypted archive this clear copy stays on the node (the next diff/incr needs it) and is
   * never uploaded; see {@link #sealedManifestFileName}.
   */
  public String manifestFileName() {
    return clear().fileName() + ".manifest.json";
  }

  /**
   * The manifest object that goes with the archive off the node: {@link #manifestFileName}, plus
   * {@code .age} when the archive is encrypted.
   */
  public String sealedManifestFileName() {
    return manifestFileName() + (encrypted ? Age.SUFFIX : "");
  }

  /** This name without encryption. */
  public ArchiveName clear() {
    return encrypted ? new ArchiveName(node, set, created, level, compression, false) : this;
  }

  @Override
  public String toString() {
    return fileName();
  }

  /** Parses a file name, or returns empty if it is not an archive name. */
  public static Optional<ArchiveName> tryParse(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Instant created = Instant.from(STAMP.parse(m.group(3)));
      Compression c = m.group(6) == null ? Compression.NONE : extension(m.group(6));
      return Optional.of(
          new ArchiveName(
              m.group(1), m.group(2), created, Level.fromToken(m.group(4)), c, m.group(7) != null));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a file name.
   *
   * @throws IllegalArgumentException naming the file name when it is not an archive name
   */
  public static ArchiveName parse(String fileName) {
    return tryParse(fileName)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not an archive name (<node>.<set>.<yyyyMMdd'T'HHmmss'Z'>"
                        + ".<full|diff|incr>.tar[.<ext>][.age]): \""
                        + fileName
                        + "\""));
  }

  private static Compression extension(String ext) {
    for (Compression c : Compression.values()) {
      if (c.extension().equals(ext)) {
        return c;
      }
    }
    throw new IllegalArgumentException(ext);
  }
}
