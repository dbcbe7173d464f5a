package io.custos.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveStructSparse;

/**
 * Restores archives (ours or GNU tar's) into a target directory, never writing outside it.
 *
 * <p>Link targets are data: a symlink is recreated with its target byte for byte ({@code dir/}
 * stays {@code dir/}), absolute, dangling or pointing out of the target alike, and is never
 * followed or judged. Safety comes from never writing <em>through</em> a link instead: every parent
 * of an entry must be a real directory inside the target (a symlink planted by an earlier entry, or
 * already on disk, makes the entry refused), missing parents are created with {@code mkdir} (which
 * follows nothing), files are created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}, and what
 * an entry replaces is unlinked first. An entry with an absolute name or a {@code ..} component, or
 * a hard link to such a name or to a directory, is refused ({@link UnsafeEntryException}). The
 * checks assume nobody else changes the target while we restore. A non-empty target is refused
 * unless {@link RestoreOptions#allowNonEmpty}.
 *
 * <p>Restore goes on, as GNU tar does: an entry that cannot be written (refused, immutable, {@code
 * EPERM}, {@code ENOSPC}, a name too long) is reported in {@link RestoreResult#failures()} naming
 * it and the reason, any partial file of it is removed, and the rest is restored; directory modes
 * and times are still applied at the end. Only a broken archive (corrupt or cut-off stream) or a
 * refused target stops a restore, with an {@link IOException}.
 *
 * <p>Fidelity, like {@code tar -xp} (and {@code --same-owner} as root): content, mode including
 * setuid/setgid/sticky (after the owner, which clears them), owner by name when the name exists
 * here else by id, mtime to the nanosecond in any year (symlinks too), xattrs of every namespace
 * and POSIX ACLs ({@code SCHILY.acl.*}), names and link targets byte for byte, hard links,
 * symlinks, FIFOs ({@code mkfifo}) and, as root, device nodes ({@code mknod}). Sparse entries are
 * written region by region into a file of the real size, leaving holes. Directory modes and times
 * are set last, deepest first. With {@link RestoreOptions#incremental} a directory's {@code
 * GNU.dumpdir} is applied like {@code tar -G}: children it does not list are deleted.
 *
 * <p>Damaged data is never restored as good. A regular file the archive's manifest lists with a
 * sha256 is written under a temporary name in its directory ({@code .custos-restore-N.part}),
 * hashed as it is written (a sparse file's apparent content, holes as zeros), and renamed to its
 * name only when the hash matches; otherwise it is removed and named in {@link
 * RestoreResult#failures()} with both hashes. After the last entry the decompressed stream is read
 * to its end so the codec's own checks run ({@link ArchiveReader#drainStream}). When one fails, the
 * archive is named in the failures; files that had no manifest sha256 to check (a foreign archive,
 * whose codec check is all there is) cannot be trusted then, and each is removed and named. A
 * stream that cannot be decoded on stops the restore of that archive, naming the entry.
 */
public final class Restorer {

  private static final String XATTR = "SCHILY.xattr.";

  private final RestoreOptions options;
  private final Progress progress;
  private final Age.Identities identities;

  public Restorer(RestoreOptions options) {
    this(options, new Progress());
  }

  /** A restorer that advances {@code progress} as it goes, for a progress display. */
  public Restorer(RestoreOptions options, Progress progress) {
    this(options, progress, Age.Identities.none());
  }

  /**
   * A restorer that also decrypts age-encrypted archives with {@code identities}; an encrypted
   * archive without one fails with {@link Age.IdentityRequiredException}.
   */
  public Restorer(RestoreOptions options, Progress progress, Age.Identities identities) {
    this.options = options;
    this.progress = progress;
    this.identities = identities;
  }

  /**
   * Restores a full archive followed by each later archive of its chain, in order, applying their
   * dumpdirs so deletions and renames are replayed.
   */
  public RestoreResult restoreChain(List<Path> archives, Path target) throws IOException {
    int entries = 0;
    long bytes = 0;
    int deleted = 0;
    List<String> warnings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    RestoreOptions opts = options.withIncremental(true);
    for (int i = 0; i < archives.size(); i++) {
      RestoreResult r =
          new Restorer(i == 0 ? opts : opts.withAllowNonEmpty(true), progress, identities)
              .restore(archives.get(i), target);
      entries += r.entries();
      bytes += r.bytes();
      deleted += r.deleted();
      warnings.addAll(r.warnings());
      failures.addAll(r.failures());
    }
    return new RestoreResult(entries, bytes, deleted, warnings, failures);
  }

  /**
   * Restores one archive into {@code target}, creating it if missing. Entries that cannot be
   * restored are in the result's {@link RestoreResult#failures()}; the others are restored.
   *
   * @throws IOException when the target cannot be used (not empty, not creatable) or the archive
   *     cannot be read on (corrupt or truncated), naming the archive and the last entry
   */
  public RestoreResult restore(Path archive, Path target) throws IOException {
    Files.createDirectories(target);
    Path root = target.toRealPath();
    if (!options.allowNonEmpty()) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
        if (ds.iterator().hasNext()) {
          throw new IOException(
              "restore target "
                  + root
                  + " is not empty; choose an empty directory or allow a non-empty one");
        }
      }
    }
    Run run = new Run(root, expectedHashes(archive));
    try (ArchiveReader reader = ArchiveReader.open(archive, identities)) {
      TarArchiveEntry e = null;
      while (true) {
        try {
          e = reader.next();
        } catch (IOException ex) {
          throw new IOException(
              archive.getFileName()
                  + ": cannot read on after "
                  + (e == null ? "the start" : "entry '" + e.getName() + "'")
                  + ": "
                  + ex.getMessage(),
              ex);
        }
        if (e == null) {
          break;
        }
        try {
          if (run.restore(e, reader.content())) {
            run.entries++;
            progress.entries++;
          }
        } catch (ArchiveReader.CorruptStreamException ex) {
          throw new IOException(
              archive.getFileName() + ": entry '" + e.getName() + "': " + ex.getMessage(), ex);
        } catch (IOException ex) {
          run.failed(e.getName(), ex);
        }
      }
      try {
        reader.drainStream();
      } catch (ArchiveReader.CorruptStreamException ex) {
        run.codecFailed(archive, ex);
      }
      run.finishDirectories();
    }
    return new RestoreResult(run.entries, run.bytes, run.deleted, run.warnings, run.failures);
  }

  /**
   * The sha256 (hex) of each regular file {@code archive}'s manifest lists as in it, by archive
   * name; null when the archive has no manifest (a foreign archive), so only the codec's checks
   * apply. An unreadable manifest is an error: restoring unchecked when a check was promised would
   * hide the damage.
   */
  private Map<String, String> expectedHashes(Path archive) throws IOException {
    if (!Files.exists(Manifest.fileFor(archive))
        && !Files.exists(Manifest.sealedFileFor(archive))) {
      return null;
    }
    Map<String, String> m = new HashMap<>();
    for (Manifest.Entry e : Manifest.readFor(archive, identities).entries()) {
      if (e.inArchive() && "file".equals(e.type()) && e.sha256() != null) {
        m.put(e.path(), e.sha256());
      }
    }
    return m;
  }

  /** A file written from an archive whose content no manifest hash confirmed. */
  private record Unverified(String entry, Path path) {}

  /** One restore of one archive. */
  private final class Run {
    final Path root;
    final List<String> warnings = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final List<Deferred> directories = new ArrayList<>();
    final Map<String, Optional<UserPrincipal>> users = new HashMap<>();
    final Map<String, Optional<GroupPrincipal>> groups = new HashMap<>();
    final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    final boolean root0 = Processes.isRoot();
    int entries;
    long bytes;
    int deleted;

    final List<String> onlyParts;

    /**
     * The parent directory {@link #parents} last checked (every component a real directory inside
     * the target), so entries of one directory are not re-checked one by one. Forgotten when an
     * entry lands on it or one of its ancestors, or a dumpdir deletes anything.
     */
    Path verifiedParent;

    /** The target's exact name ({@link FileNames} form): entry paths are built from it. */
    final String rootName;

    /** Manifest sha256 by archive name, or null for an archive without manifest. */
    final Map<String, String> expected;

    /** Files (and hard links to them) only the codec's end-of-stream checks can confirm. */
    final List<Unverified> unverified = new ArrayList<>();

    final Set<Path> unverifiedPaths = new HashSet<>();
    int parts;

    Run(Path root, Map<String, String> expected) throws UnsafeEntryException {
      this.root = root;
      this.expected = expected;
      this.rootName = FileNames.of(root);
      this.onlyParts =
          options.only() == null ? List.of() : components(options.only(), options.only());
    }

    /** Records that entry {@code name} was not restored, and why. */
    void failed(String name, IOException ex) {
      String why = ex instanceof UnsafeEntryException ? ex.getMessage() : describe(ex);
      failures.add(why.startsWith("entry '") ? why : "entry '" + name + "': " + why);
      verifiedParent = null;
    }

    /** Restores one entry; false when {@link RestoreOptions#only} leaves it out. */
    boolean restore(TarArchiveEntry e, InputStream content) throws IOException {
      String name = e.getName();
      List<String> parts = components(name, name);
      if (options.only() != null && !selected(parts)) {
        return false;
      }
      Path self = FileNames.resolve(root, rootName, String.join("/", parts));
      if (verifiedParent != null && verifiedParent.startsWith(self)) {
        verifiedParent = null; // this entry may replace a directory on the cached chain
      }
      Path dest = parents(parts, name);
      if (e.isSymbolicLink()) {
        symlink(e, dest);
      } else if (e.isLink()) {
        hardLink(e, dest);
      } else if (e.isDirectory()) {
        directory(e, dest);
      } else if (e.isFIFO()) {
        replace(dest);
        LinuxFiles.mknod(FileNames.of(dest), 0010000 | 0600, 0);
        attributes(e, dest, false);
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        if (!root0) {
          warnings.add(name + ": device node not restored (needs root)");
          return true;
        }
        replace(dest);
        LinuxFiles.mknod(
            FileNames.of(dest),
            (e.isCharacterDevice() ? 0020000 : 0060000) | 0600,
            LinuxFiles.makedev(e.getDevMajor(), e.getDevMinor()));
        attributes(e, dest, false);
      } else if (e.isFile()) {
        file(e, content, dest);
        attributes(e, dest, false);
      } else {
        warnings.add(name + ": entry of type '" + (char) e.getLinkFlag() + "' skipped");
      }
      return true;
    }

    /** Whether the entry is {@link RestoreOptions#only} or below it. */
    private boolean selected(List<String> parts) {
      List<String> want = onlyParts;
      if (parts.size() < want.size()) {
        return false;
      }
      return parts.subList(0, want.size()).equals(want);
    }

    private void file(TarArchiveEntry e, InputStream in, Path dest) throws IOException {
      replace(dest);
      String want = expected == null ? null : expected.get(Verifier.normalize(e.getName()));
      Path part = want == null ? dest : dest.resolveSibling(".custos-restore-" + ++parts + ".part");
      if (part != dest) {
        Files.deleteIfExists(part); // left by a killed restore
      }
      String got;
      try {
        got = write(e, in, part);
      } catch (IOException ex) {
        SafeFiles.deleteQuietly(part); // a file is restored whole or not at all
        throw ex;
      }
      if (want == null) {
        unverified.add(new Unverified(e.getName(), dest));
        unverifiedPaths.add(dest);
        return;
      }
      if (!want.equals(got)) {
        SafeFiles.deleteQuietly(part);
        throw new IOException(
            "data damaged: its content has sha256 "
                + got
                + ", the manifest says "
                + want
                + "; not restored");
      }
      Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The codec found the archive damaged after its last entry was read: the archive is named, and
     * every file no manifest hash confirmed is removed and named.
     */
    void codecFailed(Path archive, ArchiveReader.CorruptStreamException ex) {
      failures.add(
          archive.getFileName()
              + ": "
              + ex.getMessage()
              + (unverified.isEmpty()
                  ? "; every file restored from it matched its manifest sha256"
                  : String.format(
                      Locale.ROOT,
                      "; the %,d file(s) restored from it that no manifest sha256 confirms"
                          + " cannot be trusted and were removed",
                      unverified.size())));
      for (Unverified u : unverified) {
        SafeFiles.deleteQuietly(u.path());
        failures.add(
            "entry '"
                + u.entry()
                + "': not verified (the archive's "
                + ex.compression().configName()
                + " check failed); removed");
      }
      unverified.clear();
      unverifiedPaths.clear();
    }

    /** Writes the content to {@code dest}; the sha256 (hex) of the apparent content. */
    private String write(TarArchiveEntry e, InputStream in, Path dest) throws IOException {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException ex) {
        throw new IllegalStateException("every Java has SHA-256", ex);
      }
      try (FileChannel out =
          FileChannel.open(
              dest,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        if (e.isSparse()) {
          long pos = 0;
          for (TarArchiveStructSparse s : e.getOrderedSparseHeaders()) {
            skip(in, s.getOffset() - pos, sha);
            copy(in, out, s.getOffset(), s.getNumbytes(), sha);
            pos = s.getOffset() + s.getNumbytes();
          }
          skip(in, Long.MAX_VALUE, sha); // the trailing hole, for the hash
          long size = e.getRealSize();
          if (out.size() < size) {
            out.write(ByteBuffer.wrap(new byte[1]), size - 1);
          }
        } else {
          copy(in, out, 0, Long.MAX_VALUE, sha);
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    }

    private void copy(InputStream in, FileChannel out, long at, long length, MessageDigest sha)
        throws IOException {
      long done = 0;
      while (done < length) {
        int want = (int) Math.min(buffer.capacity(), length - done);
        int n = in.read(buffer.array(), 0, want);
        if (n < 0) {
          if (length != Long.MAX_VALUE) {
            throw new IOException("archive ends inside the entry");
          }
          break;
        }
        sha.update(buffer.array(), 0, n);
        ByteBuffer b = ByteBuffer.wrap(buffer.array(), 0, n);
        while (b.hasRemaining()) {
          out.write(b, at + done + b.position());
        }
        done += n;
        progress.bytes += n;
      }
      bytes += done;
    }

    /** Reads {@code n} bytes (a hole's zeros) into the hash; MAX_VALUE reads to the end. */
    private void skip(InputStream in, long n, MessageDigest sha) throws IOException {
      long left = n;
      while (left > 0) {
        int r = in.read(buffer.array(), 0, (int) Math.min(buffer.capacity(), left));
        if (r < 0) {
          if (n == Long.MAX_VALUE) {
            return;
          }
          throw new IOException("archive ends inside the entry");
        }
        sha.update(buffer.array(), 0, r);
        left -= r;
      }
    }

    private void directory(TarArchiveEntry e, Path dest) throws IOException {
      if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        replace(dest);
        Files.createDirectory(dest);
      }
      String dump = e.getExtraPaxHeaders().get("GNU.dumpdir");
      if (options.incremental() && dump != null) {
        purge(dest, dump);
      }
      directories.add(new Deferred(dest, e));
    }

    /** Deletes the children of {@code dir} that the dumpdir does not list, like {@code tar -G}. */
    private void purge(Path dir, String dump) throws IOException {
      Set<String> keep = new HashSet<>();
      String renamed = null;
      String tempDir = null;
      for (String item : dump.split("\0")) {
        if (item.isEmpty()) {
          continue;
        }
        char flag = item.charAt(0);
        String name = item.substring(1);
        if (flag == 'X') {
          tempDir = name;
        } else if (flag == 'R') {
          renamed = name;
        } else if (flag == 'T' && renamed != null) {
          rename(renamed, name, tempDir);
          renamed = null;
        } else if (name.length() > 0 && "YND".indexOf(flag) >= 0) {
          keep.add(name);
        }
      }
      List<Path> gone = new ArrayList<>();
      String dirName = FileNames.of(dir);
      for (byte[] child : LinuxFiles.list(dirName)) {
        String name = FileNames.decode(child);
        if (!keep.contains(name)) {
          gone.add(FileNames.path(dirName + "/" + name));
        }
      }
      for (Path child : gone) {
        deleteTree(child);
        deleted++;
        verifiedParent = null;
      }
    }

    /**
     * A directory rename GNU tar recorded in a dumpdir ({@code R} from, {@code T} to, names as in
     * the archive), replayed like {@code tar -G -x} does before it deletes. An empty name is GNU
     * tar's temporary directory inside the one an {@code X} record named (incremen.c, {@code
     * try_purge_directory}): directories that swapped names go through it ({@code R a, T ""; R b, T
     * a; R "", T b}).
     */
    private void rename(String from, String to, String tempDir) throws IOException {
      Path source = from.isEmpty() ? temporary(tempDir, from) : named(from);
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        return; // nothing restored under the old name (a partial chain or --path)
      }
      Path dest = to.isEmpty() ? temporary(tempDir, to) : named(to);
      replace(dest);
      Files.move(source, dest);
      verifiedParent = null;
    }

    /** The path of directory {@code name} of a rename record, its parents checked. */
    private Path named(String name) throws IOException {
      List<String> parts = components(name, name);
      if (parts.isEmpty()) {
        throw new UnsafeEntryException(name, "rename of the target directory itself");
      }
      return parents(parts, name);
    }

    /** GNU tar's temporary name for a rename, inside the {@code X} record's directory. */
    private Path temporary(String tempDir, String record) throws IOException {
      if (tempDir == null) {
        throw new UnsafeEntryException(
            record, "rename through a temporary name without an X record before it");
      }
      return named(tempDir + "/.custos-rename.tmp");
    }

    /** Recreates the link with its target verbatim; the target is never resolved or checked. */
    private void symlink(TarArchiveEntry e, Path dest) throws IOException {
      replace(dest);
      LinuxFiles.symlink(FileNames.encode(e.getLinkName()), FileNames.of(dest));
      attributes(e, dest, true);
    }

    private void hardLink(TarArchiveEntry e, Path dest) throws IOException {
      String link = e.getLinkName();
      List<String> parts = components(link, e.getName());
      if (parts.isEmpty()) {
        throw new UnsafeEntryException(e.getName(), "hard link to the target directory itself");
      }
      Path source = parents(parts, e.getName());
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException ex) {
        throw new IOException("hard link target '" + link + "' is not in the target directory");
      }
      if (a.isDirectory()) {
        throw new UnsafeEntryException(e.getName(), "hard link to directory '" + link + "'");
      }
      if (source.equals(dest)) {
        return;
      }
      replace(dest);
      Files.createLink(dest, source);
      if (unverifiedPaths.contains(source)) {
        unverified.add(new Unverified(e.getName(), dest));
        unverifiedPaths.add(dest);
      }
    }

    /** Owner, then mode, xattrs and mtime; {@code symlink} means without following it. */
    private void attributes(TarArchiveEntry e, Path p, boolean symlink) throws IOException {
      LinkOption[] nofollow = {LinkOption.NOFOLLOW_LINKS};
      if (options.sameOwner()) {
        owner(e, p);
      }
      if (!symlink) {
        Files.setAttribute(p, "unix:mode", e.getMode() & 07777);
      }
      if (e.isFile() || e.isDirectory()) {
        xattrs(e, p);
      }
      FileTime mtime = e.getLastModifiedTime();
      if (mtime != null) {
        // utimensat without following: nanoseconds for symlinks too, any year, no open of a FIFO
        LinuxFiles.setMtime(FileNames.of(p), mtime.toInstant());
      }
    }

    private void owner(TarArchiveEntry e, Path p) throws IOException {
      PosixFileAttributeView view =
          Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
      Optional<UserPrincipal> user =
          users.computeIfAbsent(e.getUserName(), n -> lookupUser(lookup, n));
      if (user.isPresent()) {
        view.setOwner(user.get());
      } else {
        Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
      }
      Optional<GroupPrincipal> group =
          groups.computeIfAbsent(e.getGroupName(), n -> lookupGroup(lookup, n));
      if (group.isPresent()) {
        view.setGroup(group.get());
      } else {
        Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
      }
    }

    /**
     * Extended attributes: {@code SCHILY.xattr.*} (every namespace; {@code trusted.*} and {@code
     * security.*} need root, and a refusal is a warning) and POSIX ACLs from {@code SCHILY.acl.*},
     * byte for byte. Set after owner and mode, which would clear capabilities and ACL masks.
     */
    private void xattrs(TarArchiveEntry e, Path p) {
      String name = null;
      for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
        String key = h.getKey();
        String attr;
        byte[] value;
        try {
          if (key.startsWith(XATTR)) {
            attr = key.substring(XATTR.length());
            value = FileNames.encode(h.getValue());
          } else if (key.equals("SCHILY.acl.access") || key.equals("SCHILY.acl.default")) {
            attr = key.endsWith("access") ? "system.posix_acl_access" : "system.posix_acl_default";
            if (h.getValue().isEmpty()) {
              continue;
            }
            value = Acls.fromText(h.getValue(), LinuxFiles::idOf);
          } else {
            continue;
          }
        } catch (IllegalArgumentException ex) {
          warnings.add(
              FileNames.display(e.getName()) + ": " + key + " not restored: " + ex.getMessage());
          continue;
        }
        try {
          if (name == null) {
            name = FileNames.of(p);
          }
          LinuxFiles.setXattr(name, attr, value);
        } catch (IOException ex) {
          warnings.add(
              FileNames.display(e.getName())
                  + ": xattr '"
                  + attr
                  + "' not restored: "
                  + ex.getMessage());
        }
      }
    }

    /** Directory modes and times, deepest first, once nothing more is written into them. */
    void finishDirectories() {
      directories.sort(Comparator.comparingInt((Deferred d) -> d.path.getNameCount()).reversed());
      for (Deferred d : directories) {
        try {
          if (Files.isDirectory(d.path, LinkOption.NOFOLLOW_LINKS)) {
            attributes(d.entry, d.path, false);
          }
        } catch (IOException ex) {
          failed(d.entry.getName(), ex);
        }
      }
    }

    /**
     * The path of the entry whose components are {@code parts}, after making sure every parent is a
     * real directory inside the root (creating missing ones).
     */
    private Path parents(List<String> parts, String entry) throws IOException {
      Path parent =
          FileNames.resolve(
              root, rootName, String.join("/", parts.subList(0, Math.max(0, parts.size() - 1))));
      if (parent.equals(verifiedParent)) {
        return parts.isEmpty() ? root : FileNames.resolve(root, rootName, String.join("/", parts));
      }
      Path p = root;
      for (int i = 0; i < parts.size() - 1; i++) {
        p = FileNames.resolve(root, rootName, String.join("/", parts.subList(0, i + 1)));
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException ex) {
          Files.createDirectory(p);
          continue;
        }
        if (a.isSymbolicLink()) {
          throw new UnsafeEntryException(
              entry,
              "'"
                  + String.join("/", parts.subList(0, i + 1))
                  + "' is a symbolic link;"
                  + " writing through it could leave the target");
        }
        if (!a.isDirectory()) {
          throw new IOException(
              "'" + String.join("/", parts.subList(0, i + 1)) + "' is not a directory");
        }
      }
      verifiedParent = p;
      return parts.isEmpty() ? root : FileNames.resolve(root, rootName, String.join("/", parts));
    }

    /** Removes whatever is at {@code p} (never following a symlink), so it can be created. */
    private void replace(Path p) throws IOException {
      if (p.equals(root)) {
        throw new UnsafeEntryException(".", "would replace the target directory itself");
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(p);
      } else {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The non-empty, non-"." components of {@code name}; refuses absolute names and "..". */
  static List<String> components(String name, String entry) throws UnsafeEntryException {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new UnsafeEntryException(entry, "empty name or NUL in the name");
    }
    if (name.startsWith("/")) {
      throw new UnsafeEntryException(entry, "absolute name '" + name + "'");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.equals("..")) {
        throw new UnsafeEntryException(entry, "'..' in '" + name + "'");
      }
      if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    return parts;
  }

  /** The reason of a failure, with the file it concerns: "Operation not permitted (/r/a/b)". */
  static String describe(IOException e) {
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
      return reason + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Deletes {@code p} and everything below it, without following symlinks, if it exists. */
  public static void deleteTreeIfExists(Path p) throws IOException {
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      deleteTree(p);
    }
  }

  static void deleteTree(Path p) throws IOException {
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static Optional<UserPrincipal> lookupUser(UserPrincipalLookupService s, String name) {
    try {
      return name == null || name.isEmpty()
          ? Optional.empty()
          : Optional.of(s.lookupPrincipalByName(name));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<GroupPrincipal> lookupGroup(UserPrincipalLookupService s, String name) {
    try {
      return name == null || name.isEmpty()
          ? Optional.empty()
          : Optional.of(s.lookupPrincipalByGroupName(name));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private record Deferred(Path path, TarArchiveEntry entry) {}
}
