package io.custos.agent.backup;

import io.custos.agent.backup.tar.PaxRecords;
import io.custos.agent.backup.tar.TarHeaders;
import io.custos.agent.backup.tar.TarWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes one archive of a backup set: a POSIX (PAX) tar that GNU tar 1.34 lists and extracts,
 * compressed as asked, plus its sidecar {@link Manifest}.
 *
 * <p>What goes in: the set's paths walked like {@code tar -C root} (names relative, no leading
 * {@code /}), minus the excludes; regular files, directories, symlinks, hard links (second and
 * later links of a (dev, inode) as type {@code 1}), FIFOs and device nodes; mode with
 * setuid/setgid/sticky, uid/gid (to 2^32-1) and names, mtime to the nanosecond in any year (PAX
 * {@code mtime}), xattrs of every namespace we can read ({@code SCHILY.xattr.*}), POSIX ACLs as
 * {@code tar --acls} stores them ({@code SCHILY.acl.access}, {@code SCHILY.acl.default}), names and
 * link targets of any length and any bytes ({@code path}, {@code linkpath}, {@code
 * hdrcharset=BINARY} when not UTF-8), sizes over 8 GiB ({@code size}). Which field needs a PAX
 * record is decided by {@link TarHeaders}. Sparse files are stored as PAX sparse 1.0 exactly as
 * {@code tar -S --format=posix} does. Every directory carries {@code GNU.dumpdir} ({@code Y} in
 * this archive, {@code N} not, {@code D} directory), directories come first, so that {@code tar -G
 * -x} of a chain deletes what was deleted. A diff or incr archive holds the non-directories that
 * are new or whose size, mtime, ctime or inode differ from the base manifest, and all directories.
 *
 * <p>Headers are encoded by {@link TarHeaders} and written by {@link TarWriter}. This class plans
 * (what goes in, which names link to which), reads the files and publishes the archive.
 *
 * <p>Compression runs on its own thread ({@link PipelinedOutputStream}), overlapping reading and
 * hashing as {@code tar | gzip} does; a write failure behind it (disk full) surfaces up to a few MB
 * later, so the entry named in that message may be a later one.
 *
 * <p>Failure: a file that changes while it is read gives a warning ("file changed as we read it")
 * and is cut or zero-padded to the size in its header, so the archive stays consistent; a file that
 * vanishes or cannot be read is skipped with a warning. When that file is the first name of a
 * hard-link group, the next name that can be read is stored as a regular file instead and the
 * group's later names link to it (as GNU tar does), so a link never points at a missing entry. The
 * archive and manifest are written as {@code .part} files, forced to disk and renamed (manifest
 * first, then archive, so an archive that exists always has its manifest); any other failure, a
 * full disk included, deletes the parts and throws a {@link BackupException} naming the archive and
 * the entry.
 */
public final class ArchiveWriter {

  private static final String ACL_ACCESS = "system.posix_acl_access";
  private static final String ACL_DEFAULT = "system.posix_acl_default";
  private static final int BUFFER = 256 * 1024;
  private static final byte[] ZEROS = new byte[BUFFER];
  private static final HexFormat HEX = HexFormat.of();

  private final Clock clock;
  private final UnaryOperator<OutputStream> sinkFilter;
  private final Progress progress;

  /**
   * @param clock gives the archive's creation time
   */
  public ArchiveWriter(Clock clock) {
    this(clock, UnaryOperator.identity(), new Progress());
  }

  /**
   * @param clock gives the archive's creation time
   * @param progress advanced as entries and bytes are written, for a progress display
   */
  public ArchiveWriter(Clock clock, Progress progress) {
    this(clock, UnaryOperator.identity(), progress);
  }

  /** For tests: {@code sinkFilter} wraps the stream that goes to the archive file. */
  ArchiveWriter(Clock clock, UnaryOperator<OutputStream> sinkFilter) {
    this(clock, sinkFilter, new Progress());
  }

  private ArchiveWriter(Clock clock, UnaryOperator<OutputStream> sinkFilter, Progress progress) {
    this.clock = clock;
    this.sinkFilter = sinkFilter;
    this.progress = progress;
  }

  /**
   * Writes the archive and manifest described by {@code spec} into {@code spec.directory()}.
   *
   * @throws BackupException on any failure, after removing the {@code .part} files
   */
  public BackupResult write(BackupSpec spec) throws BackupException {
    return write(spec, null);
  }

  /**
   * Like {@link #write(BackupSpec)}, and also archives the tree below {@code extraRoot} with names
   * relative to it (its top entries after the set's own). {@link BackupRunner} spools dump output
   * into {@code extraRoot/dumps/} this way, so a dump is streamed from disk like any file. A name
   * from {@code extraRoot} that the set's tree also has is an error.
   *
   * @param extraRoot a directory, or null for none
   * @throws BackupException on any failure, after removing the {@code .part} files
   */
  public BackupResult write(BackupSpec spec, Path extraRoot) throws BackupException {
    ArchiveName name =
        new ArchiveName(
            spec.node(),
            spec.set(),
            clock.instant(),
            spec.level(),
            spec.compression(),
            spec.encrypted());
    Path archive = spec.directory().resolve(name.fileName());
    Path manifestFile = spec.directory().resolve(name.manifestFileName());
    Path sealedManifest = spec.directory().resolve(name.sealedManifestFileName());
    Path archivePart = SafeFiles.partOf(archive);
    Path manifestPart = SafeFiles.partOf(manifestFile);
    Path sealedPart = SafeFiles.partOf(sealedManifest);
    boolean sealedPublished = false;
    List<String> warnings = new ArrayList<>();
    Session session = null;
    boolean manifestPublished = false;
    try {
      if (Files.exists(archive) || Files.exists(manifestFile) || Files.exists(sealedManifest)) {
        throw new IOException("archive " + archive + " already exists");
      }
      Path root = spec.root().toAbsolutePath().normalize();
      TreeScanner.Tree tree =
          new TreeScanner(root, new ExcludeMatcher(spec.excludes()), warnings).scan(spec.paths());
      if (extraRoot != null) {
        tree = merge(tree, extraRoot, warnings);
      }
      plan(tree, spec.base());
      long total = 0;
      for (FileNode n : tree.others()) {
        total += n.write && n.type == EntryType.FILE && n.linkTo == null ? n.size : 0;
      }
      progress.total = total;

      long archiveBytes;
      String archiveSha;
      try (FileChannel ch = SafeFiles.newPrivateFile(archivePart)) {
        OutputStream file =
            new BufferedOutputStream(
                sinkFilter.apply(CloseShieldOutputStream.wrap(Channels.newOutputStream(ch))),
                BUFFER);
        HashingOutputStream hashed = new HashingOutputStream(file);
        // age sits between the compressor and the file, so only ciphertext reaches the disk; the
        // hash is of the file's bytes, the ones uploaded and verified.
        OutputStream sealed = spec.encrypted() ? Age.encrypt(hashed, spec.recipients()) : hashed;
        OutputStream compressed =
            spec.compression().compress(sealed, spec.compressionLevel(), spec.workers());
        try (TarWriter tar =
            new TarWriter(
                spec.compression() == Compression.NONE
                    ? new BufferedOutputStream(compressed, BUFFER)
                    : new PipelinedOutputStream(compressed, "custos-compress-" + spec.set()))) {
          session = new Session(tar, warnings, progress);
          for (FileNode d : tree.directories()) {
            session.writeDirectory(d);
          }
          for (FileNode n : tree.others()) {
            if (n.write) {
              session.writeOther(n);
            }
          }
          session.current = null;
          tar.finish();
        }
        ch.force(true);
        archiveBytes = hashed.count;
        archiveSha = HEX.formatHex(hashed.digest.digest());
      }

      Manifest manifest =
          new Manifest(
              1,
              name.fileName(),
              spec.node(),
              spec.set(),
              spec.level().token(),
              name.created().toEpochMilli(),
              spec.base() == null ? null : spec.base().archive(),
              Catalog.nextSeq(spec.directory(), spec.node(), spec.set()),
              Catalog.depthAfter(spec.base()),
              spec.compression().configName(),
              archiveSha,
              archiveBytes,
              manifestEntries(tree, spec.base(), session.hashes, session.sparseWritten));
      manifest.writeTo(manifestPart);
      if (spec.encrypted()) {
        Age.encryptFile(manifestPart, sealedPart, spec.recipients());
        SafeFiles.publish(sealedPart, sealedManifest);
        sealedPublished = true;
      }
      SafeFiles.publish(manifestPart, manifestFile);
      manifestPublished = true;
      SafeFiles.publish(archivePart, archive);
      SafeFiles.syncDirectory(spec.directory());
      return new BackupResult(
          archive,
          manifestFile,
          manifest,
          archiveBytes,
          session.entries,
          session.contentBytes,
          warnings);
    } catch (IOException | RuntimeException e) {
      SafeFiles.deleteQuietly(archivePart);
      SafeFiles.deleteQuietly(manifestPart);
      SafeFiles.deleteQuietly(sealedPart);
      if (sealedPublished) {
        SafeFiles.deleteQuietly(sealedManifest);
      }
      if (manifestPublished) {
        SafeFiles.deleteQuietly(manifestFile);
      }
      String at =
          session != null && session.current != null
              ? " while adding '" + FileNames.display(session.current) + "'"
              : "";
      throw new BackupException(
          "backup "
              + name.fileName()
              + " failed"
              + at
              + ", "
              + archivePart
              + " removed: "
              + describe(e),
          e);
    }
  }

  private static TreeScanner.Tree merge(
      TreeScanner.Tree tree, Path extraRoot, List<String> warnings) throws IOException {
    List<Path> tops = new ArrayList<>();
    try (var ds = Files.newDirectoryStream(extraRoot)) {
      for (Path p : ds) {
        tops.add(extraRoot.relativize(p));
      }
    }
    tops.sort(null);
    if (tops.isEmpty()) {
      return tree;
    }
    TreeScanner.Tree extra =
        new TreeScanner(extraRoot, new ExcludeMatcher(List.of()), warnings).scan(tops);
    Set<String> names = new HashSet<>();
    tree.directories().forEach(n -> names.add(n.name));
    tree.others().forEach(n -> names.add(n.name));
    List<FileNode> dirs = new ArrayList<>(tree.directories());
    List<FileNode> others = new ArrayList<>(tree.others());
    for (FileNode n : extra.directories()) {
      if (!names.add(n.name)) {
        throw new IOException("'" + n.name + "' is both in the set's paths and among its dumps");
      }
      dirs.add(n);
    }
    for (FileNode n : extra.others()) {
      if (!names.add(n.name)) {
        throw new IOException("'" + n.name + "' is both in the set's paths and among its dumps");
      }
      others.add(n);
    }
    return new TreeScanner.Tree(dirs, others);
  }

  private static String describe(Throwable e) {
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      return f.getReason() != null ? f.getReason() + " (" + f.getFile() + ")" : f.toString();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Decides what this archive holds and which files are later links of earlier ones. */
  private static void plan(TreeScanner.Tree tree, Manifest base) {
    Map<String, Manifest.Entry> before = base == null ? Map.of() : base.byPath();
    for (FileNode d : tree.directories()) {
      d.write = true;
    }
    Map<String, String> firstLink = new HashMap<>();
    for (FileNode n : tree.others()) {
      n.write = changed(n, before.get(n.name));
      if (n.write && n.type == EntryType.FILE && n.nlink > 1) {
        String key = n.dev + ":" + n.ino;
        String first = firstLink.putIfAbsent(key, n.name);
        if (first != null) {
          n.linkTo = first;
        }
      }
    }
  }

  private static boolean changed(FileNode n, Manifest.Entry b) {
    if (b == null) {
      return true;
    }
    EntryType was = EntryType.fromToken(b.type());
    boolean sameType = was == n.type || (was == EntryType.HARDLINK && n.type == EntryType.FILE);
    return !sameType
        || b.size() != n.size
        || b.mtimeNs() != FileNode.toNanos(n.mtime)
        || b.ctimeNs() != FileNode.toNanos(n.ctime)
        || b.ino() != n.ino;
  }

  private static List<Manifest.Entry> manifestEntries(
      TreeScanner.Tree tree, Manifest base, Map<String, String> hashes, Set<String> sparseWritten) {
    Map<String, Manifest.Entry> before = base == null ? Map.of() : base.byPath();
    List<Manifest.Entry> out = new ArrayList<>();
    List<FileNode> all = new ArrayList<>(tree.directories());
    all.addAll(tree.others());
    for (FileNode n : all) {
      if (n.write
          && n.type == EntryType.FILE
          && !hashes.containsKey(n.linkTo != null ? n.linkTo : n.name)) {
        continue; // vanished or unreadable: warned about, not in the archive
      }
      String sha = null;
      boolean sparse = false;
      if (n.type == EntryType.FILE) {
        if (n.write) {
          sha = hashes.get(n.linkTo != null ? n.linkTo : n.name);
          sparse = sparseWritten.contains(n.name);
        } else {
          Manifest.Entry b = before.get(n.name);
          sha = b.sha256();
          sparse = b.sparse();
        }
      }
      EntryType type = n.linkTo != null ? EntryType.HARDLINK : n.type;
      String link = n.linkTo != null ? n.linkTo : n.symlinkTarget;
      out.add(
          new Manifest.Entry(
              n.name,
              type.token(),
              n.size,
              FileNode.toNanos(n.mtime),
              FileNode.toNanos(n.ctime),
              n.mode,
              n.uid,
              n.gid,
              n.dev,
              n.ino,
              sha,
              link,
              n.write,
              sparse));
    }
    return out;
  }

  /** The state of one archive being written. */
  private static final class Session {
    final TarWriter tar;
    final List<String> warnings;
    final Map<String, String> hashes = new HashMap<>();
    final Set<String> sparseWritten = new HashSet<>();

    /** A hard-link group's first name that is not in the archive, to the name stored instead. */
    final Map<String, String> survivors = new HashMap<>();

    final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    final String pid = Long.toString(ProcessHandle.current().pid());
    String current;
    int entries;
    long contentBytes;

    final Progress progress;

    Session(TarWriter tar, List<String> warnings, Progress progress) {
      this.progress = progress;
      this.tar = tar;
      this.warnings = warnings;
    }

    void writeDirectory(FileNode d) throws IOException {
      current = d.name;
      TreeMap<String, Character> listing = new TreeMap<>();
      for (String s : d.skipped) {
        listing.put(s, 'N');
      }
      for (FileNode c : d.children) {
        char flag = c.type == EntryType.DIR ? 'D' : c.write ? 'Y' : 'N';
        listing.put(c.baseName(), flag);
      }
      PaxRecords pax = new PaxRecords();
      pax.put("GNU.dumpdir", TarWriter.dumpdir(listing));
      addXattrs(d, pax);
      put(d, d.name.equals(".") ? "./" : d.name + "/", (byte) '5', 0, pax);
      tar.closeEntry();
    }

    void writeOther(FileNode n) throws IOException {
      current = n.name;
      switch (n.type) {
        case FILE:
          if (n.linkTo != null && !hashes.containsKey(n.linkTo)) {
            // The group's first name vanished or could not be read: like GNU tar, store this
            // name as a regular file, and point the group's later names at it.
            String gone = n.linkTo;
            n.linkTo = survivors.get(gone);
            if (n.linkTo == null) {
              writeFile(n);
              if (hashes.containsKey(n.name)) {
                survivors.put(gone, n.name);
              }
              return;
            }
          }
          if (n.linkTo != null) {
            put(n, n.name, (byte) '1', 0, null);
            tar.closeEntry();
          } else {
            writeFile(n);
          }
          return;
        case SYMLINK:
          put(n, n.name, (byte) '2', 0, null);
          break;
        case FIFO:
          put(n, n.name, (byte) '6', 0, null);
          break;
        case CHAR:
          put(n, n.name, (byte) '3', 0, null);
          break;
        case BLOCK:
          put(n, n.name, (byte) '4', 0, null);
          break;
        default:
          throw new IllegalStateException(n.type + " " + n.name);
      }
      tar.closeEntry();
    }

    private void writeFile(FileNode n) throws IOException {
      FileChannel in;
      try {
        in = LinuxFiles.openRegular(n.absolute); // never follows a link, never blocks on a FIFO
      } catch (LinuxFiles.ChangedTypeException e) {
        warnings.add(
            FileNames.display(n.name)
                + ": file changed as we read it: now "
                + e.now
                + "; not stored");
        return;
      } catch (NoSuchFileException e) {
        warnings.add(FileNames.display(n.name) + ": file removed before we read it");
        return;
      } catch (AccessDeniedException e) {
        warnings.add(FileNames.display(n.name) + ": cannot open: permission denied");
        return;
      } catch (FileSystemException e) {
        warnings.add(FileNames.display(n.name) + ": cannot open: " + describe(e));
        return;
      }
      try (in) {
        MessageDigest sha = sha256();
        if (n.maybeSparse()) {
          List<SparseFiles.Region> data = SparseFiles.dataRegions(n.absolute, n.size);
          if (!SparseFiles.dense(data, n.size)) {
            writeSparse(n, in, SparseFiles.withEnd(data, n.size), sha);
            finishFile(n, sha, true);
            return;
          }
        }
        PaxRecords xattrs = new PaxRecords();
        addXattrs(n, xattrs);
        put(n, n.name, (byte) '0', n.size, xattrs);
        long copied = copy(in, 0, n.size, sha);
        if (copied < n.size) {
          pad(n.size - copied, sha);
          warnings.add(
              FileNames.display(n.name)
                  + ": file shrank by "
                  + (n.size - copied)
                  + " bytes while read; padded with zeros");
        }
        tar.closeEntry();
        finishFile(n, sha, false);
      }
    }

    private void finishFile(FileNode n, MessageDigest sha, boolean sparseFile) throws IOException {
      hashes.put(n.name, HEX.formatHex(sha.digest()));
      if (sparseFile) {
        sparseWritten.add(n.name);
      }
      try {
        LinuxFiles.Stat after = LinuxFiles.lstat(n.absolute);
        if (after.size() != n.size || !after.mtime().equals(n.mtime)) {
          warnings.add(FileNames.display(n.name) + ": file changed as we read it");
        }
      } catch (NoSuchFileException e) {
        warnings.add(FileNames.display(n.name) + ": file removed while we read it");
      }
    }

    /** PAX sparse 1.0, as {@code tar -S --format=posix}: map block(s), then the data only. */
    private void writeSparse(
        FileNode n, FileChannel in, List<SparseFiles.Region> regions, MessageDigest sha)
        throws IOException {
      byte[] map = SparseFiles.encodeMap(regions);
      long data = 0;
      for (SparseFiles.Region r : regions) {
        data += r.length();
      }
      PaxRecords xattrs = new PaxRecords();
      addXattrs(n, xattrs);
      tar.beginSparse(header(n, n.name, (byte) '0', n.size), map, data, pid, xattrs);
      counted();
      long pos = 0;
      for (SparseFiles.Region r : regions) {
        feedZeros(sha, r.offset() - pos);
        long copied = copy(in, r.offset(), r.length(), sha);
        if (copied < r.length()) {
          pad(r.length() - copied, sha);
          warnings.add(FileNames.display(n.name) + ": file shrank while read; padded with zeros");
        }
        pos = r.offset() + r.length();
      }
      feedZeros(sha, n.size - pos);
      tar.closeEntry();
    }

    /** Copies up to {@code length} bytes from {@code position}; returns how many there were. */
    private long copy(FileChannel in, long position, long length, MessageDigest sha)
        throws IOException {
      long done = 0;
      while (done < length) {
        buffer.clear();
        if (length - done < buffer.capacity()) {
          buffer.limit((int) (length - done));
        }
        int n = in.read(buffer, position + done);
        if (n <= 0) {
          break;
        }
        sha.update(buffer.array(), 0, n);
        tar.write(buffer.array(), 0, n);
        done += n;
        progress.bytes += n;
      }
      contentBytes += done;
      return done;
    }

    private void pad(long count, MessageDigest sha) throws IOException {
      while (count > 0) {
        int n = (int) Math.min(count, ZEROS.length);
        sha.update(ZEROS, 0, n);
        tar.write(ZEROS, 0, n);
        count -= n;
      }
    }

    private static void feedZeros(MessageDigest sha, long count) {
      while (count > 0) {
        int n = (int) Math.min(count, ZEROS.length);
        sha.update(ZEROS, 0, n);
        count -= n;
      }
    }

    /**
     * Adds the file's extended attributes: POSIX ACLs in GNU tar's text form ({@code
     * SCHILY.acl.access}, {@code SCHILY.acl.default}), every other attribute raw as {@code
     * SCHILY.xattr.<name>} (binary and empty values too). What cannot be read is a warning.
     */
    private void addXattrs(FileNode n, PaxRecords pax) {
      List<String> names;
      try {
        names = new ArrayList<>(LinuxFiles.listXattrs(n.absolute));
      } catch (IOException e) {
        warnings.add(FileNames.display(n.name) + ": cannot list xattrs: " + describe(e));
        return;
      }
      names.sort(null);
      for (String attr : names) {
        try {
          byte[] value = LinuxFiles.getXattr(n.absolute, attr);
          if (value == null) {
            continue; // removed meanwhile
          }
          if (attr.equals(ACL_ACCESS) || attr.equals(ACL_DEFAULT)) {
            String key = attr.equals(ACL_ACCESS) ? "SCHILY.acl.access" : "SCHILY.acl.default";
            pax.put(key, Acls.toText(value));
          } else {
            pax.put("SCHILY.xattr." + attr, value);
          }
        } catch (IOException | IllegalArgumentException e) {
          warnings.add(
              FileNames.display(n.name) + ": xattr " + attr + " not stored: " + e.getMessage());
        }
      }
    }

    /**
     * Starts entry {@code entryName} of {@code n} with {@code tail} (xattrs, dumpdir) as its last
     * PAX records; the caller writes the data and closes the entry.
     */
    private void put(FileNode n, String entryName, byte flag, long size, PaxRecords tail)
        throws IOException {
      tar.begin(header(n, entryName, flag, size), tail);
      counted();
    }

    private void counted() {
      entries++;
      progress.entries++;
    }

    private static TarHeaders.Header header(FileNode n, String entryName, byte flag, long size) {
      String link = flag == '1' ? n.linkTo : flag == '2' ? n.symlinkTarget : null;
      boolean device = n.type == EntryType.CHAR || n.type == EntryType.BLOCK;
      return new TarHeaders.Header(
          flag,
          FileNames.encode(entryName),
          link == null ? new byte[0] : FileNames.encode(link),
          size,
          n.mode,
          n.uid,
          n.gid,
          n.uname,
          n.gname,
          n.mtime,
          device ? n.devMajor() : 0,
          device ? n.devMinor() : 0);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JRE", e);
    }
  }

  /** Passes writes through and counts and hashes them: the archive file's size and sha256. */
  private static final class HashingOutputStream extends FilterOutputStream {
    final MessageDigest digest = sha256();
    long count;

    HashingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }
  }
}
