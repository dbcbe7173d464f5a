package io.custos.agent.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * The sidecar {@code <archive>.manifest.json}: what the tree looked like when the archive was made,
 * so that the next differential or incremental backup, {@link Verifier} and retention need not read
 * the archive.
 *
 * <p>{@code entries} lists every path of the backed-up tree at that time, whether or not this
 * archive holds it ({@code in_archive}); an unchanged file keeps the sha256 recorded by its base.
 * Times: {@code created} is UTC epoch milliseconds, {@code mtime_ns}/{@code ctime_ns} epoch
 * nanoseconds; sizes are bytes (a sparse file's apparent size); {@code mode} is the permission bits
 * including setuid, setgid and sticky. Unknown JSON fields are ignored when reading.
 *
 * @param v format version, 1
 * @param archive the archive's file name
 * @param node node name
 * @param set backup set name
 * @param level {@code full | diff | incr}
 * @param created when the backup started, epoch ms
 * @param base the file name of the archive this one is relative to, null for a full
 * @param seq the archive's place in its set's history on the node: 1 + the highest {@code seq} of
 *     the set's archives in the directory when it was made. Archives are ordered by it (and a base
 *     always comes before what depends on it), never by the node's clock, which can step back; null
 *     in manifests written before it existed
 * @param depth its place in its chain: 0 for a full, its base's + 1 otherwise; null when unknown
 * @param compression {@code gzip | bzip2 | xz | lz4 | zstd | none}
 * @param archiveSha256 hex sha256 of the archive file
 * @param archiveBytes size of the archive file
 * @param entries every path of the tree, in archive order
 */
public record Manifest(
    int v,
    String archive,
    String node,
    String set,
    String level,
    long created,
    String base,
    Long seq,
    Integer depth,
    String compression,
    String archiveSha256,
    long archiveBytes,
    List<Entry> entries) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public Manifest {
    Objects.requireNonNull(archive, "archive");
    entries = List.copyOf(entries);
  }

  /** A manifest without chain position ({@code seq} and {@code depth} null). */
  public Manifest(
      int v,
      String archive,
      String node,
      String set,
      String level,
      long created,
      String base,
      String compression,
      String archiveSha256,
      long archiveBytes,
      List<Entry> entries) {
    this(
        v,
        archive,
        node,
        set,
        level,
        created,
        base,
        null,
        null,
        compression,
        archiveSha256,
        archiveBytes,
        entries);
  }

  /**
   * One path.
   *
   * @param path archive name (relative, no trailing slash)
   * @param type {@code file | dir | symlink | hardlink | fifo | char | block}
   * @param size bytes (apparent size for sparse files, 0 for non-files)
   * @param mtimeNs modification time, epoch ns
   * @param ctimeNs status change time, epoch ns
   * @param mode permission bits ({@code 07777})
   * @param uid owner id
   * @param gid group id
   * @param dev device of the file system
   * @param ino inode number
   * @param sha256 hex sha256 of the content (files and hard links), else null
   * @param link symlink target, or the name a hard link points to in this archive
   * @param inArchive whether this archive holds the entry
   * @param sparse whether it was stored with holes
   */
  public record Entry(
      String path,
      String type,
      long size,
      long mtimeNs,
      long ctimeNs,
      int mode,
      long uid,
      long gid,
      long dev,
      long ino,
      String sha256,
      String link,
      boolean inArchive,
      boolean sparse) {}

  /** The level as an enum. */
  public Level levelValue() {
    return Level.fromToken(level);
  }

  /** Entries by path. */
  public Map<String, Entry> byPath() {
    Map<String, Entry> m = new HashMap<>();
    for (Entry e : entries) {
      m.put(e.path(), e);
    }
    return m;
  }

  /**
   * Writes the manifest as JSON to {@code part} (which must not exist), streaming, and forces it to
   * disk; memory stays small however many entries there are.
   */
  void writeTo(Path part) throws IOException {
    try (FileChannel ch = SafeFiles.newPrivateFile(part);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
      // Jackson closes what it writes to; the channel must stay open until it is forced.
      JSON.writeValue(CloseShieldOutputStream.wrap(out), this);
      out.flush();
      ch.force(true);
    }
  }

  /**
   * Reads a manifest file.
   *
   * @throws IOException naming the file when it cannot be read or is not a manifest
   */
  public static Manifest read(Path file) throws IOException {
    try {
      return JSON.readValue(file.toFile(), Manifest.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The manifest of {@code archive} as JSON: the clear file when it exists, else the sealed ({@code
   * .age}) one decrypted with {@code identities} (archives fetched from the collector have only
   * that one).
   *
   * @throws java.nio.file.NoSuchFileException when neither exists
   * @throws Age.IdentityRequiredException when only the sealed one exists and there is no identity
   */
  public static java.io.InputStream open(Path archive, Age.Identities identities)
      throws IOException {
    Path clear = fileFor(archive);
    Path sealed = sealedFileFor(archive);
    if (java.nio.file.Files.exists(clear) || sealed.equals(clear)) {
      return java.nio.file.Files.newInputStream(clear);
    }
    java.io.InputStream in = java.nio.file.Files.newInputStream(sealed);
    try {
      return identities.decrypt(in, sealed.toString());
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Reads the manifest of {@code archive} per {@link #open}.
   *
   * @throws IOException naming the file when it cannot be read or is not a manifest
   */
  public static Manifest readFor(Path archive, Age.Identities identities) throws IOException {
    try (java.io.InputStream in = open(archive, identities)) {
      return JSON.readValue(in, Manifest.class);
    } catch (Age.IdentityRequiredException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read manifest of " + archive + ": " + e.getMessage(), e);
    }
  }

  /**
   * The clear manifest file that belongs to {@code archive}: {@code <archive>.manifest.json}, the
   * {@code .age} of an encrypted archive left out (the node keeps that clear copy as its snapshot
   * state for the next diff/incr).
   */
  public static Path fileFor(Path archive) {
    return archive.resolveSibling(clearName(archive) + ".manifest.json");
  }

  /**
   * The manifest that travels with {@code archive}: {@link #fileFor} for a clear archive, {@code
   * <clear archive>.manifest.json.age} for an encrypted one.
   */
  public static Path sealedFileFor(Path archive) {
    String n = archive.getFileName().toString();
    return n.endsWith(Age.SUFFIX)
        ? archive.resolveSibling(clearName(archive) + ".manifest.json" + Age.SUFFIX)
        : fileFor(archive);
  }

  private static String clearName(Path archive) {
    String n = archive.getFileName().toString();
    return n.endsWith(Age.SUFFIX) ? n.substring(0, n.length() - Age.SUFFIX.length()) : n;
  }
}
