package io.custos.agent.backup;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one archive of a backup set: a POSIX (PAX) tar that GNU tar 1.34 lists and extracts,
 * compressed as asked, plus its sidecar {@link Manifest}.
 *
 * <p>What goes in: the set's paths walked like {@code tar -C root} (names relative, no leading
 * {@code /}), minus the excludes; regular files, directories, symlinks, hard links (second and
 * later links of a (dev, inode) as type {@code 1}), FIFOs and device nodes; mode with
 * setuid/setgid/sticky, uid/gid and names, mtime to the nanosecond (PAX {@code mtime}), user xattrs
 * ({@code SCHILY.xattr.user.*}), names of any length ({@code path}, {@code linkpath}), sizes over 8
 * GiB ({@code size}). Sparse files are stored as PAX sparse 1.0 exactly as {@code tar -S
 * --format=posix} does. Every directory carries {@code GNU.dumpdir} ({@code Y} in this archive,
 * {@code N} not, {@code D} directory), directories come first, so that {@code tar -G -x} of a chain
 * deletes what was deleted. A diff or incr archive holds the non-directories that are new or whose
 * size, mtime, ctime or inode differ from the base manifest, and all directories.
 *
 * <p>The PAX headers are written here, not by Commons Compress, to keep record order (GNU tar takes
 * the last of {@code path} and {@code GNU.sparse.name}) and full nanoseconds; the ustar header
 * below them carries what fits and base-256 numbers otherwise (GNU tar reads both).
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

  private static final long MAX_OCTAL_ID = 07777777L;
  private static final long MAX_OCTAL_TIME = 077777777777L;
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
        new ArchiveName(spec.node(), spec.set(), clock.instant(), spec.level(), spec.compression());
    Path archive = spec.directory().resolve(name.fileName());
    Path manifestFile = spec.directory().resolve(name.manifestFileName());
    Path archivePart = SafeFiles.partOf(archive);
    Path manifestPart = SafeFiles.partOf(manifestFile);
    List<String> warnings = new ArrayList<>();
    Session session = null;
    boolean manifestPublished = false;
    try {
      if (Files.exists(archive) || Files.exists(manifestFile)) {
        throw new IOException("archive " + archive + " already exists");
      }
      Path root = spec.root().toAbsolutePath().normalize();
      // find(1) looks for sparse files while we walk the tree: two walks overlap on two cores.
      List<String> sparseWarnings = new ArrayList<>(); // the lookup's own until join()
      CompletableFuture<Set<String>> sparseLookup =
          CompletableFuture.supplyAsync(() -> sparseCandidates(root, spec.paths(), sparseWarnings));
      TreeScanner.Tree tree =
          new TreeScanner(root, new ExcludeMatcher(spec.excludes()), warnings).scan(spec.paths());
      if (extraRoot != null) {
        tree = merge(tree, extraRoot, warnings);
      }
      Set<String> sparse = sparseLookup.join();
      warnings.addAll(sparseWarnings);
      plan(tree, spec.base());
      long total = 0;
      for (FileNode n : tree.others()) {
        total += n.write && n.type == EntryType.FILE && n.linkTo == null ? n.size : 0;
      }
      progress.total = total;

      long archiveBytes;
      String archiveSha;
      try (FileChannel ch =
          FileChannel.open(archivePart, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream file =
            new BufferedOutputStream(
                sinkFilter.apply(new KeepOpen(Channels.newOutputStream(ch))), BUFFER);
        HashingOutputStream hashed = new HashingOutputStream(file);
        OutputStream compressed =
            spec.compression().compress(hashed, spec.compressionLevel(), spec.workers());
        try (TarArchiveOutputStream tar =
            new TarArchiveOutputStream(
                spec.compression() == Compression.NONE
                    ? new BufferedOutputStream(compressed, BUFFER)
                    : new PipelinedOutputStream(compressed, "custos-compress-" + spec.set()))) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
          session = new Session(tar, sparse, warnings, progress);
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
              spec.compression().configName(),
              archiveSha,
              archiveBytes,
              manifestEntries(tree, spec.base(), session.hashes, session.sparseWritten));
      manifest.writeTo(manifestPart);
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
      if (manifestPublished) {
        SafeFiles.deleteQuietly(manifestFile);
      }
      String at =
          session != null && session.current != null
              ? " while adding '" + session.current + "'"
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

  private static Set<String> sparseCandidates(Path root, List<Path> paths, List<String> warnings) {
    List<Path> trees = new ArrayList<>();
    for (Path p : paths) {
      trees.add(root.resolve(p).normalize());
    }
    try {
      return SparseFiles.candidates(trees);
    } catch (IOException e) {
      warnings.add("cannot look for sparse files (find: " + e.getMessage() + "); storing none");
      return Set.of();
    }
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
    final TarArchiveOutputStream tar;
    final Set<String> sparse;
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

    Session(
        TarArchiveOutputStream tar, Set<String> sparse, List<String> warnings, Progress progress) {
      this.progress = progress;
      this.tar = tar;
      this.sparse = sparse;
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
      StringBuilder dump = new StringBuilder();
      listing.forEach((n, f) -> dump.append(f).append(n).append('\0'));
      dump.append('\0');
      PaxRecords pax = new PaxRecords();
      pax.put("GNU.dumpdir", dump.toString());
      addXattrs(d, pax);
      put(d, d.name + "/", TarConstants.LF_DIR, 0, new PaxRecords(), pax, true);
      tar.closeArchiveEntry();
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
            put(n, n.name, TarConstants.LF_LINK, 0, null, null, true);
            tar.closeArchiveEntry();
          } else {
            writeFile(n);
          }
          return;
        case SYMLINK:
          put(n, n.name, TarConstants.LF_SYMLINK, 0, null, null, true);
          break;
        case FIFO:
          put(n, n.name, TarConstants.LF_FIFO, 0, null, null, true);
          break;
        case CHAR:
          put(n, n.name, TarConstants.LF_CHR, 0, null, null, true);
          break;
        case BLOCK:
          put(n, n.name, TarConstants.LF_BLK, 0, null, null, true);
          break;
        default:
          throw new IllegalStateException(n.type + " " + n.name);
      }
      tar.closeArchiveEntry();
    }

    private void writeFile(FileNode n) throws IOException {
      FileChannel in;
      try {
        in = FileChannel.open(n.path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        warnings.add(n.name + ": file removed before we read it");
        return;
      } catch (AccessDeniedException e) {
        warnings.add(n.name + ": cannot open: permission denied");
        return;
      } catch (FileSystemException e) {
        warnings.add(n.name + ": cannot open: " + describe(e));
        return;
      }
      try (in) {
        MessageDigest sha = sha256();
        if (sparse.contains(n.path.toString())) {
          List<SparseFiles.Region> data = SparseFiles.dataRegions(in, n.size);
          if (!SparseFiles.dense(data, n.size)) {
            writeSparse(n, in, SparseFiles.withEnd(data, n.size), sha);
            finishFile(n, sha, true);
            return;
          }
        }
        PaxRecords xattrs = new PaxRecords();
        addXattrs(n, xattrs);
        put(n, n.name, TarConstants.LF_NORMAL, n.size, null, xattrs, true);
        long copied = copy(in, 0, n.size, sha);
        if (copied < n.size) {
          pad(n.size - copied, sha);
          warnings.add(
              n.name
                  + ": file shrank by "
                  + (n.size - copied)
                  + " bytes while read; padded with zeros");
        }
        tar.closeArchiveEntry();
        finishFile(n, sha, false);
      }
    }

    private void finishFile(FileNode n, MessageDigest sha, boolean sparseFile) throws IOException {
      hashes.put(n.name, HEX.formatHex(sha.digest()));
      if (sparseFile) {
        sparseWritten.add(n.name);
      }
      try {
        Map<String, Object> after =
            Files.readAttributes(n.path, "unix:size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        if ((Long) after.get("size") != n.size
            || !((FileTime) after.get("lastModifiedTime")).toInstant().equals(n.mtime)) {
          warnings.add(n.name + ": file changed as we read it");
        }
      } catch (NoSuchFileException e) {
        warnings.add(n.name + ": file removed while we read it");
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
      PaxRecords head = new PaxRecords();
      head.put("GNU.sparse.major", "1");
      head.put("GNU.sparse.minor", "0");
      head.put("GNU.sparse.name", n.name);
      head.put("GNU.sparse.realsize", Long.toString(n.size));
      PaxRecords xattrs = new PaxRecords();
      addXattrs(n, xattrs);
      String dir = n.name.contains("/") ? n.name.substring(0, n.name.lastIndexOf('/')) : ".";
      String fake = dir + "/GNUSparseFile." + pid + "/" + n.baseName();
      put(n, fake, TarConstants.LF_NORMAL, map.length + data, head, xattrs, false);
      tar.write(map);
      long pos = 0;
      for (SparseFiles.Region r : regions) {
        feedZeros(sha, r.offset() - pos);
        long copied = copy(in, r.offset(), r.length(), sha);
        if (copied < r.length()) {
          pad(r.length() - copied, sha);
          warnings.add(n.name + ": file shrank while read; padded with zeros");
        }
        pos = r.offset() + r.length();
      }
      feedZeros(sha, n.size - pos);
      tar.closeArchiveEntry();
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

    private void addXattrs(FileNode n, PaxRecords pax) {
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(
              n.path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null) {
        return;
      }
      try {
        List<String> names = new ArrayList<>(view.list());
        names.sort(null);
        for (String attr : names) {
          ByteBuffer value = ByteBuffer.allocate(view.size(attr));
          view.read(attr, value);
          pax.put("SCHILY.xattr.user." + attr, value.array());
        }
      } catch (IOException | UnsupportedOperationException e) {
        // the file system has no user xattrs; nothing to keep
      }
    }

    /**
     * Writes our PAX header (if any record is needed) and the ustar header; the caller writes the
     * data and closes the entry.
     *
     * @param head records that must come first (sparse)
     * @param tail records that come last (xattrs, dumpdir)
     * @param pathRecord whether a long or non-ASCII name may get a {@code path} record
     */
    private TarArchiveEntry put(
        FileNode n,
        String entryName,
        byte flag,
        long size,
        PaxRecords head,
        PaxRecords tail,
        boolean pathRecord)
        throws IOException {
      PaxRecords pax = head != null ? head : new PaxRecords();
      if (pathRecord && !fitsUstar(entryName)) {
        pax.put("path", entryName);
      }
      String link =
          flag == TarConstants.LF_LINK
              ? n.linkTo
              : flag == TarConstants.LF_SYMLINK ? n.symlinkTarget : null;
      if (link != null && !fitsUstar(link)) {
        pax.put("linkpath", link);
      }
      if (size > TarConstants.MAXSIZE) {
        pax.put("size", Long.toString(size));
      }
      if (n.uid > MAX_OCTAL_ID) {
        pax.put("uid", Long.toString(n.uid));
      }
      if (n.gid > MAX_OCTAL_ID) {
        pax.put("gid", Long.toString(n.gid));
      }
      if (!fitsField(n.uname, 32)) {
        pax.put("uname", n.uname);
      }
      if (!fitsField(n.gname, 32)) {
        pax.put("gname", n.gname);
      }
      long seconds = n.mtime.getEpochSecond();
      if (n.mtime.getNano() != 0 || seconds < 0 || seconds > MAX_OCTAL_TIME) {
        pax.put("mtime", PaxRecords.time(n.mtime));
      }
      if (tail != null && !tail.isEmpty()) {
        pax.putAll(tail);
      }
      if (!pax.isEmpty()) {
        writePaxHeader(entryName, pax.encode(), seconds);
      }
      TarArchiveEntry e = new TarArchiveEntry(ustar(entryName), flag, true);
      e.setMode(n.mode);
      e.setUserId(n.uid);
      e.setGroupId(n.gid);
      e.setUserName(ascii(n.uname, 31));
      e.setGroupName(ascii(n.gname, 31));
      e.setModTime(FileTime.from(Instant.ofEpochSecond(seconds)));
      e.setSize(size);
      if (link != null) {
        e.setLinkName(ustar(link));
      }
      if (n.type == EntryType.CHAR || n.type == EntryType.BLOCK) {
        e.setDevMajor((int) n.devMajor());
        e.setDevMinor((int) n.devMinor());
      }
      tar.putArchiveEntry(e);
      entries++;
      progress.entries++;
      return e;
    }

    private void writePaxHeader(String entryName, byte[] records, long mtime) throws IOException {
      String trimmed =
          entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
      int slash = trimmed.lastIndexOf('/');
      String dir = slash < 0 ? "." : trimmed.substring(0, slash);
      String name = ustar(dir + "/PaxHeaders/" + trimmed.substring(slash + 1));
      TarArchiveEntry x = new TarArchiveEntry(name, TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
      x.setSize(records.length);
      x.setMode(0644);
      x.setUserName("");
      x.setGroupName("");
      x.setModTime(
          FileTime.from(Instant.ofEpochSecond(Math.max(0, Math.min(mtime, MAX_OCTAL_TIME)))));
      tar.putArchiveEntry(x);
      tar.write(records);
      tar.closeArchiveEntry();
    }
  }

  private static boolean fitsUstar(String name) {
    return name.length() < 100 && StandardCharsets.US_ASCII.newEncoder().canEncode(name);
  }

  private static boolean fitsField(String value, int size) {
    return value.length() < size && StandardCharsets.US_ASCII.newEncoder().canEncode(value);
  }

  /** A name for the ustar field: ASCII, under 100 bytes; the PAX header has the real one. */
  private static String ustar(String name) {
    return fitsUstar(name) ? name : ascii(name, 99);
  }

  private static String ascii(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c < 0x80 && c != 0 ? c : '_');
    }
    return b.toString();
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

  /** Flushes instead of closing, so the channel stays open to be forced to disk. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
