package io.custos.collector.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes' backup archives and manifests on the collector's disk, append-only: an object once
 * published is never overwritten, and only {@link ArchiveRetention} deletes.
 *
 * <p>Layout under the root ({@code backups.store}): {@code <node>/<object>} holds the bytes as
 * uploaded, {@code <node>/<object>.meta.json} its {@link ArchiveIndex}, and {@code
 * <node>/.incoming/<object>.<random>} uploads in progress. An upload is written to its temporary
 * file, fsynced, checked against the size and SHA-256 announced in its headers, then published by
 * hard links (which, unlike a rename, never replace an existing file) with the directory fsynced:
 * first the bytes, then the index. An object counts as published once its index exists; a crash
 * between the two links leaves bytes without an index, which are never served and are removed at
 * the next {@link #open()} or replaced by the next upload of that name.
 *
 * <p>Limits: an upload that would take its node past {@code backups.node_quota} (its published
 * objects plus its uploads in progress), or leave less than {@code backups.reserve} free on the
 * store's volume (counting the uploads in progress as written), is refused with 507 Insufficient
 * Storage naming the limit, as restic's rest-server answers for a full repository; the reserve
 * keeps room for a history store on the same volume whatever the nodes upload.
 *
 * <p>Files are private whatever the umask: directories 0700, objects and indexes 0600 (the
 * collector alone serves them).
 *
 * <p>Thread-safe. Two concurrent uploads of one name: the second is refused (409) while the first
 * runs.
 */
public final class ArchiveStore {
  static final String INCOMING = ".incoming";
  static final String META = ".meta.json";

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** The space of the volume a directory lies on; {@link #DISK} asks the file system. */
  public interface Volume {
    /** Bytes a new file in {@code dir} may still take. */
    long usable(Path dir) throws IOException;

    /** The volume's size, bytes. */
    long total(Path dir) throws IOException;

    Volume DISK =
        new Volume() {
          @Override
          public long usable(Path dir) throws IOException {
            return Files.getFileStore(dir).getUsableSpace();
          }

          @Override
          public long total(Path dir) throws IOException {
            return Files.getFileStore(dir).getTotalSpace();
          }
        };
  }

  /**
   * The archive volume's space, bytes.
   *
   * @param free usable by new files
   * @param total the volume's size
   * @param archives held by published objects and uploads in progress of every node
   */
  public record Space(long free, long total, long archives) {}

  private final Path root;
  private final long maxObjectSize;
  private final long nodeQuota;
  private final long reserve;
  private final Volume volume;
  private final Clock clock;
  private final ArchiveHealth health;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  // bytes announced by uploads in progress, by node; guarded by this
  private final Map<String, Long> reserved = new HashMap<>();
  private long reservedTotal;
  // an upload was refused for the reserve since the last one published
  private volatile boolean reserveRefused;

  /**
   * A store without quota or reserve.
   *
   * @param root the store directory, created by {@link #open()} if absent
   * @param maxObjectSize largest object accepted, bytes
   * @param clock stamps {@link ArchiveIndex#uploaded()}
   */
  public ArchiveStore(Path root, long maxObjectSize, Clock clock) {
    this(root, maxObjectSize, Long.MAX_VALUE, 0, Volume.DISK, clock);
  }

  /**
   * @param root the store directory, created by {@link #open()} if absent
   * @param maxObjectSize largest object accepted, bytes
   * @param nodeQuota bytes one node may keep ({@code backups.node_quota})
   * @param reserve bytes uploads leave free on the volume ({@code backups.reserve})
   * @param volume how the volume's space is read
   * @param clock stamps {@link ArchiveIndex#uploaded()}
   */
  public ArchiveStore(
      Path root, long maxObjectSize, long nodeQuota, long reserve, Volume volume, Clock clock) {
    if (maxObjectSize < 1) {
      throw new IllegalArgumentException("max_object_size must be positive, got " + maxObjectSize);
    }
    if (nodeQuota < 1 || reserve < 0) {
      throw new IllegalArgumentException(
          "node_quota must be positive and reserve not negative, got "
              + nodeQuota
              + ", "
              + reserve);
    }
    this.root = root.toAbsolutePath();
    this.maxObjectSize = maxObjectSize;
    this.nodeQuota = nodeQuota;
    this.reserve = reserve;
    this.volume = volume;
    this.clock = clock;
    this.health = new ArchiveHealth(this.root, clock);
  }

  /** Whether the store can be written; see {@link ArchiveHealth}. */
  public ArchiveHealth health() {
    return health;
  }

  /** {@code backups.reserve}, bytes. */
  public long reserve() {
    return reserve;
  }

  /** Whether an upload was refused for {@code backups.reserve} since the last one published. */
  public boolean reserveRefused() {
    return reserveRefused;
  }

  /** {@code backups.node_quota}, bytes. */
  public long nodeQuota() {
    return nodeQuota;
  }

  /**
   * The volume's free and total space and the bytes all nodes' objects hold.
   *
   * @throws IOException when the volume cannot be read
   */
  public Space space() throws IOException {
    long archives = 0;
    for (String node : nodes()) {
      archives += stored(node);
    }
    synchronized (this) {
      archives += reservedTotal;
    }
    return new Space(volume.usable(root), volume.total(root), archives);
  }

  /** Bytes of the published objects (and indexes) of {@code node}. */
  private long stored(String node) throws IOException {
    Path dir = root.resolve(node);
    long sum = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".")) {
          try {
            sum += Files.size(p);
          } catch (NoSuchFileException e) {
            // deleted by retention meanwhile
          }
        }
      }
    }
    return sum;
  }

  /**
   * Admits {@code size} more bytes for {@code node} or refuses with 507 naming the limit.
   *
   * @param incoming the node's directory of uploads in progress (on the store's volume)
   */
  private synchronized void admit(String node, long size, Path incoming)
      throws ArchiveException, IOException {
    long mine = stored(node) + reserved.getOrDefault(node, 0L);
    if (mine + size > nodeQuota) {
      throw new ArchiveException(
          507,
          "node "
              + node
              + " holds "
              + mine
              + " bytes of archives (uploads in progress included); "
              + size
              + " more would pass backups.node_quota of "
              + nodeQuota
              + " bytes ("
              + ArchiveSpaceCheck.human(nodeQuota)
              + ")");
    }
    long free = volume.usable(incoming) - reservedTotal;
    if (free - size < reserve) {
      reserveRefused = true;
      throw new ArchiveException(
          507,
          "the archive store's volume has "
              + Math.max(0, free)
              + " bytes free (uploads in progress counted as written); "
              + size
              + " more would leave less than backups.reserve of "
              + reserve
              + " bytes ("
              + ArchiveSpaceCheck.human(reserve)
              + "), kept for the history store");
    }
    reserved.merge(node, size, Long::sum);
    reservedTotal += size;
  }

  private synchronized void unreserve(String node, long size) {
    reserved.computeIfPresent(node, (n, v) -> v - size <= 0 ? null : v - size);
    reservedTotal -= size;
  }

  /**
   * Creates the root if needed and removes what an earlier run left unfinished: temporary upload
   * files and bytes whose index was never written.
   *
   * @return how many files were removed
   * @throws UncheckedIOException naming the directory when it cannot be created or read
   */
  public int open() {
    try {
      return clean();
    } catch (UncheckedIOException e) {
      health.failed("open", e.getCause());
      throw e;
    }
  }

  private int clean() {
    int removed = 0;
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root, PRIVATE_DIR);
      }
      for (String node : nodes()) {
        Path dir = root.resolve(node);
        Path incoming = dir.resolve(INCOMING);
        if (Files.isDirectory(incoming)) {
          try (DirectoryStream<Path> s = Files.newDirectoryStream(incoming)) {
            for (Path p : s) {
              Files.deleteIfExists(p);
              removed++;
            }
          }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
          for (Path p : s) {
            String name = p.getFileName().toString();
            if (!name.startsWith(".")
                && !name.endsWith(META)
                && Files.isRegularFile(p)
                && !Files.exists(dir.resolve(name + META))) {
              Files.deleteIfExists(p);
              removed++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("archive store " + root + ": " + e.getMessage(), e);
    }
    if (removed > 0) {
      LOG.info("archive store {}: removed {} unfinished upload file(s)", root, removed);
    }
    return removed;
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /** Largest object accepted, bytes. */
  public long maxObjectSize() {
    return maxObjectSize;
  }

  /**
   * Starts an upload of {@code object} for {@code node}.
   *
   * @param size the announced body size ({@code Content-Length}), bytes
   * @param sha256 the announced SHA-256 ({@code X-Custos-Sha256}), checked by {@link
   *     ArchiveIndex#checkSha256}
   * @param fields the index headers, checked by {@link ArchiveIndex#checkFields}
   * @throws ArchiveException 200 when the object already exists with this SHA-256 (the message is
   *     then unused; see {@link Exists}), 409 when it exists with another one or an upload of it is
   *     running, 413 when larger than {@code max_object_size}, 507 when it would pass {@code
   *     node_quota} or eat into {@code reserve}, 500 on a disk failure
   */
  public Upload begin(
      String node, String object, long size, String sha256, ArchiveIndex.Fields fields)
      throws ArchiveException {
    ArchiveIndex.checkName(node, object);
    if (size > maxObjectSize) {
      throw new ArchiveException(
          413,
          "Content-Length: "
              + size
              + " bytes exceeds backups.max_object_size of "
              + maxObjectSize
              + " bytes");
    }
    Optional<ArchiveIndex> existing = find(node, object);
    if (existing.isPresent()) {
      throw exists(existing.get(), sha256);
    }
    checkAgainstStore(node, object, fields);
    String key = node + "/" + object;
    if (!inFlight.add(key)) {
      throw new ArchiveException(409, "an upload of " + object + " is already in progress");
    }
    boolean admitted = false;
    try {
      Path dir = root.resolve(node);
      Path incoming = dir.resolve(INCOMING);
      if (!Files.isDirectory(incoming)) {
        Files.createDirectories(dir, PRIVATE_DIR);
        Files.createDirectories(incoming, PRIVATE_DIR);
      }
      admit(node, size, incoming);
      admitted = true;
      byte[] rnd = new byte[8];
      RANDOM.nextBytes(rnd);
      Path temp = incoming.resolve(object + "." + HexFormat.of().formatHex(rnd));
      FileChannel ch =
          FileChannel.open(
              temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE_FILE);
      return new Upload(this, key, node, object, size, sha256, fields, temp, ch);
    } catch (IOException e) {
      health.failed("start an upload", e);
      release(key, node, admitted ? size : 0);
      throw new ArchiveException(500, "cannot start the upload of " + object + ": " + e, e);
    } catch (ArchiveException | RuntimeException e) {
      release(key, node, admitted ? size : 0);
      throw e;
    }
  }

  private void release(String key, String node, long size) {
    inFlight.remove(key);
    if (size > 0) {
      unreserve(node, size);
    }
  }

  /** How far ahead of the collector's clock an archive's creation time may be. */
  static final Duration MAX_CREATED_AHEAD = Duration.ofDays(1);

  /**
   * Checks what of an archive's index needs the store or the clock: its creation time is not more
   * than {@link #MAX_CREATED_AHEAD} in the future (a time in 2099 would keep it from retention
   * forever), and its base is another archive of the node, already stored.
   */
  private void checkAgainstStore(String node, String object, ArchiveIndex.Fields f)
      throws ArchiveException {
    if (f.created() != null) {
      Instant created = Instant.parse(f.created());
      Instant limit = clock.instant().plus(MAX_CREATED_AHEAD);
      if (created.isAfter(limit)) {
        throw new ArchiveException(
            400,
            "X-Custos-Created: "
                + f.created()
                + " is more than a day after the collector's clock ("
                + clock.instant()
                + ")");
      }
    }
    if (f.base() != null) {
      if (f.base().equals(object)) {
        throw new ArchiveException(400, "X-Custos-Base: " + object + " names the archive itself");
      }
      Optional<ArchiveIndex> base = find(node, f.base());
      if (base.isEmpty() || !base.get().isArchive()) {
        throw new ArchiveException(
            400,
            "X-Custos-Base: "
                + f.base()
                + " is not an archive stored for node "
                + node
                + "; upload the base first");
      }
    }
  }

  /** The answer to an upload of an object that exists: 200 with the same bytes, else 409. */
  static ArchiveException exists(ArchiveIndex index, String sha256) {
    if (index.sha256().equals(sha256)) {
      return new Exists(index);
    }
    return new ArchiveException(
        409,
        index.object()
            + " already exists with sha256 "
            + index.sha256()
            + "; archives are never overwritten");
  }

  /** An upload of bytes the store already holds under that name: answered 200, not an error. */
  public static final class Exists extends ArchiveException {
    private static final long serialVersionUID = 1L;
    private final transient ArchiveIndex index;

    Exists(ArchiveIndex index) {
      super(200, index.object() + " already exists with this sha256");
      this.index = index;
    }

    /** The stored object. */
    public ArchiveIndex index() {
      return index;
    }
  }

  /** Publishes a verified temporary file; called by {@link Upload#finish()}. */
  ArchiveIndex publish(Upload u, String sha256) throws ArchiveException {
    Path dir = root.resolve(u.node);
    Path target = dir.resolve(u.object);
    Path metaTarget = dir.resolve(u.object + META);
    ArchiveIndex.Fields f = u.fields;
    ArchiveIndex index =
        new ArchiveIndex(
            u.object,
            f.set(),
            f.level(),
            f.base(),
            f.created(),
            f.encrypted(),
            f.manifest(),
            sha256,
            u.size,
            Instant.ofEpochMilli(clock.millis()).toString(),
            true);
    Path metaTemp = u.temp.resolveSibling(u.temp.getFileName() + META);
    try {
      try (FileChannel ch =
          FileChannel.open(
              metaTemp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PRIVATE_FILE)) {
        ByteBuffer b =
            ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      if (Files.exists(metaTarget)) {
        // Published meanwhile by another collector process sharing the directory.
        throw exists(read(metaTarget), sha256);
      }
      // Bytes left by a crash between the two links were never published: replace them.
      Files.deleteIfExists(target);
      Files.createLink(target, u.temp);
      fsync(dir);
      Files.createLink(metaTarget, metaTemp);
      fsync(dir);
      health.ok();
      reserveRefused = false;
      return index;
    } catch (FileAlreadyExistsException e) {
      throw new ArchiveException(409, u.object + " was published meanwhile by another upload");
    } catch (IOException e) {
      health.failed("publish", e);
      throw new ArchiveException(500, "cannot publish " + u.object + ": " + e, e);
    } finally {
      deleteQuietly(metaTemp);
    }
  }

  void release(Upload u) {
    release(u.key, u.node, u.size);
  }

  /**
   * The index of a published object.
   *
   * @throws ArchiveException 400 for an invalid node or object name, 500 for an unreadable index
   */
  public Optional<ArchiveIndex> find(String node, String object) throws ArchiveException {
    ArchiveIndex.checkName(node, object);
    Path meta = root.resolve(node).resolve(object + META);
    if (!Files.exists(meta)) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(meta));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted by retention meanwhile
    } catch (IOException e) {
      throw new ArchiveException(500, "cannot read the index " + meta + ": " + e.getMessage(), e);
    }
  }

  /** Where a published object's bytes are. */
  public Path path(String node, String object) throws ArchiveException {
    ArchiveIndex.checkName(node, object);
    return root.resolve(node).resolve(object);
  }

  /**
   * Every published object of {@code node} (archives and manifests), newest first by creation time
   * then name; an unreadable index is logged and skipped.
   *
   * @throws ArchiveException 400 for an invalid node name
   */
  public List<ArchiveIndex> objects(String node) throws ArchiveException {
    ArchiveIndex.checkName(node, node + ".x");
    Path dir = root.resolve(node);
    List<ArchiveIndex> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + META)) {
      for (Path p : s) {
        try {
          out.add(read(p));
        } catch (NoSuchFileException e) {
          // deleted by retention meanwhile
        } catch (IOException e) {
          LOG.warn("archive store: skipping unreadable index {}: {}", p, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new ArchiveException(500, "cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(
        Comparator.comparing(ArchiveIndex::createdInstant)
            .thenComparing(ArchiveIndex::object)
            .reversed());
    return out;
  }

  /** Node directories present in the store, sorted. */
  public List<String> nodes() throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (ArchiveIndex.NAME.matcher(n).matches()) {
          out.add(n);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Deletes a published object: its index first (so it stops being served), then its bytes. Only
   * retention calls this.
   */
  void delete(String node, String object) throws IOException {
    Path dir = root.resolve(node);
    Files.deleteIfExists(dir.resolve(object + META));
    Files.deleteIfExists(dir.resolve(object));
    fsync(dir);
  }

  private static ArchiveIndex read(Path meta) throws IOException {
    return JSON.readValue(Files.readAllBytes(meta), ArchiveIndex.class);
  }

  private static void fsync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.getMessage());
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
