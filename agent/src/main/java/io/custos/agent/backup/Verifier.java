package io.custos.agent.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads an archive through and checks it against its sidecar manifest: every regular file's sha256,
 * that every entry the manifest says is in the archive is there, that every hard link's target is
 * an earlier non-directory entry (else tar cannot extract the link and its data is lost), and the
 * archive file's own sha256. Stops at the first problem with a {@link VerificationException} naming
 * the entry and the offset (within the entry, and within the compressed file for a codec failure).
 */
public final class Verifier {
  private final Age.Identities identities;

  /** A verifier for clear archives. */
  public Verifier() {
    this(Age.Identities.none());
  }

  /** A verifier that decrypts encrypted archives with {@code identities}. */
  public Verifier(Age.Identities identities) {
    this.identities = identities;
  }

  /**
   * What a successful verification saw.
   *
   * @param archive the archive
   * @param entries entries read
   * @param files regular files whose sha256 matched
   * @param contentBytes bytes of file content hashed (apparent size for sparse files)
   */
  public record Report(Path archive, int entries, int files, long contentBytes) {}

  /**
   * Verifies {@code archive} against {@code <archive>.manifest.json} (or the sealed {@code
   * .manifest.json.age}, decrypted, when only that one is there).
   */
  public Report verify(Path archive) throws IOException {
    return verify(archive, Manifest.readFor(archive, identities));
  }

  /**
   * Verifies {@code archive} against {@code manifest}.
   *
   * @throws VerificationException naming the entry and offset on the first mismatch or read error
   */
  public Report verify(Path archive, Manifest manifest) throws IOException {
    Map<String, Manifest.Entry> expected = new LinkedHashMap<>();
    for (Manifest.Entry e : manifest.entries()) {
      if (e.inArchive()) {
        expected.put(e.path(), e);
      }
    }
    Set<String> seen = new HashSet<>();
    Set<String> linkable = new HashSet<>();
    int entries = 0;
    int files = 0;
    long bytes = 0;
    String previous = null;
    byte[] buf = new byte[256 * 1024];
    try (ArchiveReader reader = ArchiveReader.open(archive, identities)) {
      while (true) {
        TarArchiveEntry e;
        long headerAt = reader.tarOffset();
        try {
          e = reader.next();
        } catch (IOException ex) {
          throw new VerificationException(
              String.format(
                  "%s: cannot read the entry after %s at archive offset %,d: %s",
                  archive.getFileName(),
                  previous == null ? "the start" : "'" + previous + "'",
                  headerAt,
                  ex.getMessage()),
              ex);
        }
        if (e == null) {
          break;
        }
        entries++;
        String name = normalize(e.getName());
        previous = name;
        seen.add(name);
        Manifest.Entry m = expected.get(name);
        if (e.isLink() && !linkable.contains(normalize(e.getLinkName()))) {
          throw new VerificationException(
              String.format(
                  "%s: entry '%s' (header at archive offset %,d) is a hard link to '%s',"
                      + " which is not an earlier file of the archive",
                  archive.getFileName(), name, headerAt, e.getLinkName()),
              null);
        }
        if (!e.isDirectory()) {
          linkable.add(name);
        }
        if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
          continue;
        }
        long size = e.isSparse() ? e.getRealSize() : e.getSize();
        MessageDigest sha = ArchiveWriter.sha256();
        long done = 0;
        InputStream in = reader.content();
        try {
          int n;
          while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            done += n;
          }
          if (done < size) {
            throw new EOFException("archive ends early");
          }
        } catch (IOException ex) {
          String how =
              ex instanceof ArchiveReader.CorruptStreamException ? "unreadable" : "truncated";
          throw new VerificationException(
              String.format(
                  "%s: entry '%s' %s at offset %,d of %,d: %s",
                  archive.getFileName(), name, how, done, size, ex.getMessage()),
              ex);
        }
        bytes += done;
        files++;
        String actual = HexFormat.of().formatHex(sha.digest());
        if (m != null && m.sha256() != null && !m.sha256().equals(actual)) {
          throw new VerificationException(
              String.format(
                  "%s: entry '%s' (header at archive offset %,d) has sha256 %s,"
                      + " the manifest says %s",
                  archive.getFileName(), name, headerAt, actual, m.sha256()),
              null);
        }
      }
      for (String path : expected.keySet()) {
        if (!seen.contains(path)) {
          throw new VerificationException(
              String.format(
                  "%s: archive ends at offset %,d after entry %s, but the manifest lists '%s'",
                  archive.getFileName(),
                  reader.tarOffset(),
                  previous == null ? "(none)" : "'" + previous + "'",
                  path),
              null);
        }
      }
      String sha = reader.drainAndHash();
      if (manifest.archiveSha256() != null && !manifest.archiveSha256().equals(sha)) {
        throw new VerificationException(
            String.format(
                "%s: archive sha256 is %s, the manifest says %s",
                archive.getFileName(), sha, manifest.archiveSha256()),
            null);
      }
    }
    return new Report(archive, entries, files, bytes);
  }

  /** An archive name as the manifest writes it: no trailing slash, no leading "./". */
  static String normalize(String name) {
    String n = name;
    while (n.endsWith("/") && n.length() > 1) {
      n = n.substring(0, n.length() - 1);
    }
    while (n.startsWith("./") && n.length() > 2) {
      n = n.substring(2);
    }
    return n;
  }
}
