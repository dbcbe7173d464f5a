package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted archives against the real {@code age} CLI (Debian package {@code age}) and GNU tar:
 * what Custos writes, {@code age -d | tar --zstd -x} restores; what {@code tar | age -r} writes,
 * Custos restores with the identity.
 */
class AgeInteropTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");
  private String identity;
  private String recipient;
  private Path keyFile;

  @BeforeEach
  void ageIsThere() throws IOException {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/age"))
            && Files.isExecutable(Path.of("/usr/bin/age-keygen")),
        "the age CLI (Debian package age) is not installed; skipping the age interoperability"
            + " check");
    Trees.assumeGnuTar();
    keyFile = dir.resolve("key.txt");
    Trees.run(List.of("age-keygen", "-o", keyFile.toString()), false);
    for (String line : Files.readAllLines(keyFile)) {
      if (line.startsWith("AGE-SECRET-KEY-1")) {
        identity = line.strip();
      }
    }
    recipient = Trees.run(List.of("age-keygen", "-y", keyFile.toString())).strip();
  }

  private Path tree() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree/d"));
    Files.writeString(t.resolve("a.txt"), "alpha\n");
    Files.write(t.resolve("big.bin"), Trees.bytes(1_500_000, 3));
    Files.createSymbolicLink(t.resolve("link"), Path.of("d/a.txt"));
    Trees.setTimes(dir.resolve("src/tree"));
    return dir.resolve("src/tree");
  }

  @Test
  void ageDecryptsWhatCustosWroteAndGnuTarExtractsTheSameTree() throws Exception {
    Path t = tree();
    BackupRunner.Outcome o =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(EncryptionTest.encryptedSet(dir.resolve("src"), "www", List.of(recipient)), null);
    assertThat(o.ok()).as(o.message()).isTrue();
    Path into = Files.createDirectories(dir.resolve("by-tar"));
    Trees.run(
        List.of(
            "sh",
            "-c",
            "age -d -i \"$1\" \"$2\" | tar --zstd -xpf - -C \"$3\"",
            "sh",
            keyFile.toString(),
            o.archive().toString(),
            into.toString()));
    assertThat(Trees.snapshot(into.resolve("tree"))).isEqualTo(Trees.snapshot(t));
    // and the sealed manifest is a plain age file too
    String manifest =
        Trees.run(
            List.of(
                "age",
                "-d",
                "-i",
                keyFile.toString(),
                Manifest.sealedFileFor(o.archive()).toString()));
    assertThat(manifest).contains("\"archive\" : \"" + o.archive().getFileName() + "\"");
  }

  @Test
  void anArchiveMadeByGnuTarAndEncryptedByAgeIsRestoredWithTheIdentity() throws Exception {
    Path t = tree();
    Path archive = dir.resolve("n1.www.20261129T010000Z.full.tar.zst.age");
    Trees.run(
        List.of(
            "sh",
            "-c",
            "tar --format=posix --zstd -cf - -C \"$1\" tree | age -r \"$2\" -o \"$3\"",
            "sh",
            dir.resolve("src").toString(),
            recipient,
            archive.toString()));
    Path restored = dir.resolve("restored");
    RestoreResult r =
        new Restorer(RestoreOptions.defaults(), new Progress(), Age.Identities.read(keyFile))
            .restore(archive, restored);
    assertThat(r.complete()).as(r.failures().toString()).isTrue();
    assertThat(Trees.snapshot(restored.resolve("tree"))).isEqualTo(Trees.snapshot(t));
    assertThat(identity).startsWith("AGE-SECRET-KEY-1");
  }

  /** Issue 22: an armored age file ({@code age -a}) is read, not taken for tar. */
  @Test
  void anArmoredAgeFileIsRestoredWithTheIdentity() throws Exception {
    Path t = tree();
    Path archive = dir.resolve("age-1.x-armored.tar.zst.age");
    Trees.run(
        List.of(
            "sh",
            "-c",
            "tar --format=posix --zstd -cf - -C \"$1\" tree | age -a -r \"$2\" -o \"$3\"",
            "sh",
            dir.resolve("src").toString(),
            recipient,
            archive.toString()));
    assertThat(Files.readString(archive)).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
    Path restored = dir.resolve("restored");
    RestoreResult r =
        new Restorer(RestoreOptions.defaults(), new Progress(), Age.Identities.read(keyFile))
            .restore(archive, restored);
    assertThat(r.complete()).as(r.failures().toString()).isTrue();
    assertThat(Trees.snapshot(restored.resolve("tree"))).isEqualTo(Trees.snapshot(t));
  }

  /** Issue 22: a cut-off {@code .age} file is named and called truncated, as age -d calls it. */
  @Test
  void aTruncatedAgeFileNamesTheArchiveAndSaysTruncated() throws Exception {
    tree();
    BackupRunner.Outcome o =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(EncryptionTest.encryptedSet(dir.resolve("src"), "www", List.of(recipient)), null);
    assertThat(o.ok()).as(o.message()).isTrue();
    Path cut = dir.resolve(o.archive().getFileName());
    byte[] all = Files.readAllBytes(o.archive());
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 1000));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Restorer(
                        RestoreOptions.defaults(), new Progress(), Age.Identities.read(keyFile))
                    .restore(cut, dir.resolve("restored")))
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated: the age data ends after");
  }
}
