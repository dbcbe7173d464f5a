package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives built to escape the target: each unsafe entry is refused with the entry named, the
 * restore goes on with the others, and nothing outside the target is written.
 */
class HostileArchiveTest {

  @TempDir Path dir;
  Path target;
  Path outside;

  @BeforeEach
  void dirs() throws IOException {
    target = dir.resolve("a/b/target");
    outside = Files.createDirectories(dir.resolve("outside"));
  }

  private Path archive(Entry... entries) throws IOException {
    Path file = dir.resolve("hostile.tar");
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t = new TarArchiveEntry(e.name, e.type, true);
        byte[] data = e.data.getBytes(StandardCharsets.UTF_8);
        if (e.link != null) {
          t.setLinkName(e.link);
        } else {
          t.setSize(data.length);
        }
        tar.putArchiveEntry(t);
        if (e.link == null) {
          tar.write(data);
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private record Entry(String name, byte type, String link, String data) {
    static Entry file(String name) {
      return new Entry(name, TarConstants.LF_NORMAL, null, "evil\n");
    }

    static Entry symlink(String name, String to) {
      return new Entry(name, TarConstants.LF_SYMLINK, to, "");
    }

    static Entry hardlink(String name, String to) {
      return new Entry(name, TarConstants.LF_LINK, to, "");
    }
  }

  private void assertRefused(Path archive, RestoreOptions options, String entry)
      throws IOException {
    RestoreResult r = new Restorer(options).restore(archive, target);
    assertThat(r.failures())
        .anySatisfy(f -> assertThat(f).startsWith("entry '" + entry + "' refused"));
    assertThat(dir.resolve("a/b/evil")).doesNotExist();
    assertThat(dir.resolve("a/evil")).doesNotExist();
    assertThat(outside.resolve("file")).doesNotExist();
  }

  @Test
  void dotDotIsRefused() throws IOException {
    assertRefused(archive(Entry.file("../evil")), RestoreOptions.defaults(), "../evil");
  }

  @Test
  void dotDotInTheMiddleIsRefused() throws IOException {
    assertRefused(
        archive(Entry.file("x/../../../evil")), RestoreOptions.defaults(), "x/../../../evil");
  }

  @Test
  void absoluteNameIsRefused() throws IOException {
    Path abs = outside.resolve("evil");
    assertRefused(archive(Entry.file(abs.toString())), RestoreOptions.defaults(), abs.toString());
    assertThat(abs).doesNotExist();
  }

  @Test
  void anAbsoluteSymlinkIsRestoredButNeverWrittenThrough() throws IOException {
    assertRefused(
        archive(Entry.symlink("link", outside.toString()), Entry.file("link/file")),
        RestoreOptions.defaults(),
        "link/file");
    assertThat(Files.readSymbolicLink(target.resolve("link"))).isEqualTo(outside);
  }

  @Test
  void aSymlinkUpAndOutIsRestoredButNeverWrittenThrough() throws IOException {
    assertRefused(
        archive(Entry.symlink("sub/link", "../../.."), Entry.file("sub/link/file")),
        RestoreOptions.defaults(),
        "sub/link/file");
    assertThat(Files.readSymbolicLink(target.resolve("sub/link"))).hasToString("../../..");
  }

  @Test
  void aSymlinkAlreadyOnDiskIsNeverWrittenThrough() throws IOException {
    Files.createDirectories(target);
    Files.createSymbolicLink(target.resolve("etc"), outside);
    assertRefused(
        archive(Entry.file("etc/file")),
        RestoreOptions.defaults().withAllowNonEmpty(true),
        "etc/file");
    assertThat(Files.isSymbolicLink(target.resolve("etc"))).isTrue();
  }

  /** link(2) does not follow a symlink: the "hard link" is a second name of the link itself. */
  @Test
  void aHardLinkToASymlinkPointingOutNeverLinksTheFileOutside() throws IOException {
    Path victim = Files.writeString(outside.resolve("file"), "precious");
    RestoreResult r =
        new Restorer(RestoreOptions.defaults())
            .restore(
                archive(Entry.symlink("s", victim.toString()), Entry.hardlink("h", "s")), target);
    assertThat(r.failures()).isEmpty();
    assertThat(Files.isSymbolicLink(target.resolve("h"))).isTrue();
    assertThat(Files.readSymbolicLink(target.resolve("h"))).isEqualTo(victim);
    assertThat(Files.getAttribute(victim, "unix:nlink")).isEqualTo(1);
  }

  @Test
  void aHardLinkThroughASymlinkIsRefused() throws IOException {
    Files.writeString(outside.resolve("secret"), "s");
    RestoreResult r =
        new Restorer(RestoreOptions.defaults())
            .restore(
                archive(Entry.symlink("s", outside.toString()), Entry.hardlink("h", "s/secret")),
                target);
    assertThat(r.failures()).singleElement().asString().startsWith("entry 'h' refused");
    assertThat(target.resolve("h")).doesNotExist();
    assertThat(Files.isSymbolicLink(target.resolve("s"))).isTrue();
  }

  /** Restorer caches the last verified parent; an entry turning that parent into a symlink. */
  @Test
  void aDirectoryReplacedByASymlinkMidArchiveIsNotWrittenThrough() throws IOException {
    assertRefused(
        archive(
            Entry.file("d/one"),
            Entry.file("d/two"),
            Entry.symlink("d", outside.toString()),
            Entry.file("d/file")),
        RestoreOptions.defaults(),
        "d/file");
    assertThat(Files.isSymbolicLink(target.resolve("d"))).isTrue();
  }

  @Test
  void replacingAPlantedSymlinkDoesNotWriteThroughIt() throws IOException {
    Path victim = outside.resolve("file");
    Files.writeString(victim, "precious");
    new Restorer(RestoreOptions.defaults())
        .restore(archive(Entry.symlink("f", victim.toString()), Entry.file("f")), target);
    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(target.resolve("f"))).isFalse();
    assertThat(target.resolve("f")).hasContent("evil\n");
  }

  @Test
  void hardLinkToAnAbsolutePathIsRefused() throws IOException {
    assertRefused(
        archive(Entry.hardlink("passwd", "/etc/passwd")), RestoreOptions.defaults(), "passwd");
  }

  @Test
  void hardLinkUpAndOutIsRefused() throws IOException {
    Files.writeString(Files.createDirectories(dir.resolve("a/b")).resolve("secret"), "s");
    assertRefused(archive(Entry.hardlink("h", "../secret")), RestoreOptions.defaults(), "h");
  }

  @Test
  void nonEmptyTargetIsRefusedUnlessAllowed() throws IOException {
    Files.createDirectories(target);
    Files.writeString(target.resolve("existing"), "x");
    Path a = archive(Entry.file("ok"));
    assertThatThrownBy(() -> new Restorer(RestoreOptions.defaults()).restore(a, target))
        .hasMessageContaining("not empty");
    new Restorer(RestoreOptions.defaults().withAllowNonEmpty(true)).restore(a, target);
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.count()).isEqualTo(2);
    }
  }
}
