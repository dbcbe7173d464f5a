package io.custos.collector.archive;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the collector knows of one stored object, kept beside it as {@code <object>.meta.json}: the
 * unencrypted index the node sent in {@code X-Custos-*} headers (never a file name from inside the
 * archive) plus what the collector measured. A manifest has no index fields (they are null).
 *
 * @param object the object name, {@code <node>.<set>.<yyyyMMddTHHmmssZ>.<level>.tar[...]}
 * @param set the backup set; null for a manifest
 * @param level {@code full}, {@code diff} or {@code incr}; null for a manifest
 * @param base object name of the archive this one depends on; null for a full or a manifest
 * @param created when the node made the archive, ISO-8601 UTC; null for a manifest
 * @param encrypted {@code age} or {@code none}; null for a manifest
 * @param manifest object name of the archive's manifest; null for a manifest
 * @param sha256 SHA-256 of the stored bytes, 64 lower-case hex digits
 * @param size stored bytes
 * @param uploaded when the collector published it, ISO-8601 UTC
 * @param verified true: size and sha256 were checked against the upload's headers
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ArchiveIndex(
    String object,
    String set,
    String level,
    String base,
    String created,
    String encrypted,
    String manifest,
    String sha256,
    long size,
    String uploaded,
    boolean verified) {

  /** The rule object names (and node names) follow; see the archive store contract. */
  static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]*$");

  static final Set<String> LEVELS = Set.of("full", "diff", "incr");
  static final Set<String> ENCRYPTIONS = Set.of("age", "none");
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");
  private static final Pattern MANIFEST = Pattern.compile(".*\\.manifest\\.json(\\.age)?$");

  /** Whether this is an archive (with an index) rather than a manifest. */
  @JsonIgnore
  public boolean isArchive() {
    return level != null;
  }

  /** {@link #created()} as an instant; {@link #uploaded()} for a manifest. */
  @JsonIgnore
  public Instant createdInstant() {
    return Instant.parse(created != null ? created : uploaded);
  }

  /** The index part of an upload, as the node sent it in its headers; null fields when absent. */
  public record Fields(
      String set, String level, String base, String created, String encrypted, String manifest) {}

  /**
   * Checks a node name and an object name against the contract's rule.
   *
   * @throws ArchiveException 400 naming the rule and the value
   */
  public static void checkName(String node, String object) throws ArchiveException {
    checkSegment("node", node);
    checkSegment("object", object);
    if (!object.startsWith(node + ".")) {
      throw new ArchiveException(
          400, "object \"" + object + "\" must start with its node name \"" + node + ".\"");
    }
    if (object.endsWith(".meta.json")) {
      throw new ArchiveException(
          400, "object \"" + object + "\" must not end with .meta.json (the collector's index)");
    }
  }

  private static void checkSegment(String what, String value) throws ArchiveException {
    if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255
        || !NAME.matcher(value).matches()
        || value.equals(".")
        || value.equals("..")) {
      throw new ArchiveException(
          400,
          what
              + " \""
              + value
              + "\" must match "
              + NAME.pattern()
              + ", at most 255 bytes, not . or ..");
    }
  }

  /** Whether {@code object} names a manifest ({@code ....manifest.json[.age]}). */
  public static boolean isManifestName(String object) {
    return MANIFEST.matcher(object).matches();
  }

  /**
   * Validates the {@code X-Custos-Sha256} header.
   *
   * @return the digest in lower case
   * @throws ArchiveException 400 naming the header
   */
  public static String checkSha256(String header) throws ArchiveException {
    if (header == null || !SHA256.matcher(header.strip()).matches()) {
      throw new ArchiveException(
          400,
          "X-Custos-Sha256: expected 64 hex digits (SHA-256 of the body), got "
              + (header == null ? "nothing" : "\"" + header + "\""));
    }
    return header.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Validates the index headers of an upload of {@code object} by {@code node}: required for an
   * archive ({@code X-Custos-Base} only for diff and incr), absent for a manifest.
   *
   * @param headers header values by lower-case name
   * @return the fields, normalised; all null for a manifest
   * @throws ArchiveException 400 naming the header and its value
   */
  public static Fields checkFields(String node, String object, Map<String, String> headers)
      throws ArchiveException {
    if (isManifestName(object)) {
      return new Fields(null, null, null, null, null, null);
    }
    String set = required(headers, "x-custos-set");
    if (!NAME.matcher(set).matches()) {
      throw new ArchiveException(
          400, "X-Custos-Set: expected a set name matching " + NAME.pattern() + ", got " + set);
    }
    String level = required(headers, "x-custos-level");
    if (!LEVELS.contains(level)) {
      throw new ArchiveException(400, "X-Custos-Level: expected full|diff|incr, got " + level);
    }
    String base = headers.get("x-custos-base");
    if (level.equals("full")) {
      if (base != null && !base.isBlank()) {
        throw new ArchiveException(400, "X-Custos-Base: a full archive has no base, got " + base);
      }
      base = null;
    } else {
      base = required(headers, "x-custos-base");
      try {
        checkName(node, base);
      } catch (ArchiveException e) {
        throw new ArchiveException(400, "X-Custos-Base: " + e.getMessage());
      }
    }
    String created = required(headers, "x-custos-created");
    try {
      created = Instant.parse(created).toString();
    } catch (DateTimeParseException e) {
      throw new ArchiveException(
          400,
          "X-Custos-Created: expected ISO-8601 UTC such as 2026-11-27T01:00:00Z, got " + created);
    }
    String encrypted = required(headers, "x-custos-encrypted");
    if (!ENCRYPTIONS.contains(encrypted)) {
      throw new ArchiveException(400, "X-Custos-Encrypted: expected age|none, got " + encrypted);
    }
    String manifest = required(headers, "x-custos-manifest");
    try {
      checkName(node, manifest);
    } catch (ArchiveException e) {
      throw new ArchiveException(400, "X-Custos-Manifest: " + e.getMessage());
    }
    return new Fields(set, level, base, created, encrypted, manifest);
  }

  private static String required(Map<String, String> headers, String name) throws ArchiveException {
    String v = headers.get(name);
    if (v == null || v.isBlank()) {
      throw new ArchiveException(400, headerName(name) + ": required for an archive, missing");
    }
    return v.strip();
  }

  private static String headerName(String lower) {
    StringBuilder b = new StringBuilder();
    for (String part : lower.split("-")) {
      b.append(b.length() == 0 ? "" : "-")
          .append(Character.toUpperCase(part.charAt(0)))
          .append(part.substring(1));
    }
    return b.toString();
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
