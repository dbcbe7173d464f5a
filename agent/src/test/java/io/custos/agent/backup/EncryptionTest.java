package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted sets: the age round trip through jagged, chains, and the config errors. */
class EncryptionTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z"); // a Sunday

  /** A fresh X25519 pair: {@code [identity, recipient]}. */
  static String[] keyPair() throws Exception {
    KeyPair kp = new X25519KeyPairGenerator().generateKeyPair();
    return new String[] {kp.getPrivate().toString(), kp.getPublic().toString()};
  }

  static BackupSetConfig encryptedSet(Path root, String name, List<String> recipients) {
    return new BackupSetConfig(
        name,
        root,
        List.of(Path.of("tree")),
        null,
        Compression.ZSTD,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new BackupSetConfig.Encrypt(recipients),
        null,
        null);
  }

  private Path tree() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree/sub"));
    Files.writeString(t.resolve("secret.txt"), "the plaintext that must not reach the disk");
    Files.write(t.resolve("blob.bin"), Trees.bytes(300_000, 7));
    return dir.resolve("src/tree");
  }

  @Test
  void anEncryptedChainRestoresWithTheIdentityAndNothingClearLeavesTheContentOnDisk()
      throws Exception {
    String[] keys = keyPair();
    Path t = tree();
    Path out = dir.resolve("out");
    BackupSetConfig set = encryptedSet(dir.resolve("src"), "www", List.of(keys[1]));
    BackupRunner runner = new BackupRunner("n1", out, clock);
    BackupRunner.Outcome full = runner.run(set, Level.FULL);
    assertThat(full.ok()).as(full.message()).isTrue();
    assertThat(full.archive().getFileName().toString())
        .isEqualTo("n1.www.20261129T010000Z.full.tar.zst.age");
    assertThat(Age.isAge(full.archive())).isTrue();
    Path sealed = Manifest.sealedFileFor(full.archive());
    assertThat(sealed.getFileName().toString())
        .isEqualTo("n1.www.20261129T010000Z.full.tar.zst.manifest.json.age");
    assertThat(Age.isAge(sealed)).isTrue();
    assertThat(Files.readAllBytes(full.archive()))
        .asString(StandardCharsets.ISO_8859_1)
        .doesNotContain("secret.txt");

    Files.writeString(t.resolve("sub/secret.txt"), "changed after the full");
    Files.writeString(t.resolve("new.txt"), "new");
    clock.advance(java.time.Duration.ofHours(24));
    BackupRunner.Outcome incr = runner.run(set, Level.INCR);
    assertThat(incr.ok()).as(incr.message()).isTrue();
    assertThat(incr.level()).isEqualTo(Level.INCR);
    Manifest m = Manifest.read(Manifest.fileFor(incr.archive()));
    assertThat(m.base()).isEqualTo(full.archive().getFileName().toString());
    assertThat(m.archiveSha256()).isEqualTo(Trees.sha(incr.archive()));

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.endsWith(".age") || n.endsWith(".manifest.json") || n.startsWith("."));
    }

    List<Catalog.Item> items = Catalog.list(out, "n1", "www");
    assertThat(items).extracting(Catalog.Item::manifestOk).containsOnly(true);
    List<Path> chain =
        Chains.chainAt(items, clock.instant()).stream().map(Catalog.Item::file).toList();
    Path restored = dir.resolve("restored");
    RestoreResult r =
        new Restorer(RestoreOptions.defaults(), new Progress(), Age.Identities.of(keys[0]))
            .restoreChain(chain, restored);
    assertThat(r.complete()).as(r.failures().toString()).isTrue();
    assertThat(Trees.snapshot(restored.resolve("tree"))).isEqualTo(Trees.snapshot(t));

    assertThat(new Verifier(Age.Identities.of(keys[0])).verify(incr.archive()).entries())
        .isPositive();
    // the sealed manifest decrypts to the clear one, byte for byte
    try (InputStream in =
        Age.Identities.of(keys[0]).decrypt(Files.newInputStream(sealed), sealed.toString())) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(Manifest.fileFor(full.archive())));
    }
  }

  @Test
  void withoutAnIdentityOrWithAnotherOneRestoreFailsSayingWhy() throws Exception {
    String[] keys = keyPair();
    tree();
    Path out = dir.resolve("out");
    BackupRunner.Outcome full =
        new BackupRunner("n1", out, clock)
            .run(encryptedSet(dir.resolve("src"), "www", List.of(keys[1])), Level.FULL);
    assertThatThrownBy(
            () ->
                new Restorer(RestoreOptions.defaults()).restore(full.archive(), dir.resolve("r1")))
        .isInstanceOf(Age.IdentityRequiredException.class)
        .hasMessageContaining(full.archive().toString())
        .hasMessageContaining("--identity");
    String other = keyPair()[0];
    assertThatThrownBy(
            () ->
                new Restorer(RestoreOptions.defaults(), new Progress(), Age.Identities.of(other))
                    .restore(full.archive(), dir.resolve("r2")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot decrypt " + full.archive());
  }

  @Test
  void twoRecipientsEitherIdentityDecrypts() throws Exception {
    String[] a = keyPair();
    String[] b = keyPair();
    tree();
    BackupRunner.Outcome full =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(encryptedSet(dir.resolve("src"), "www", List.of(a[1], b[1])), Level.FULL);
    for (String id : List.of(a[0], b[0])) {
      assertThat(new Verifier(Age.Identities.of(id)).verify(full.archive()).files()).isEqualTo(2);
    }
  }

  @Test
  void anIdentityFileAsAgeKeygenWritesItIsRead() throws Exception {
    String[] keys = keyPair();
    Path f = dir.resolve("key.txt");
    Files.writeString(
        f, "# created: 2026-11-29T01:00:00Z\n# public key: " + keys[1] + "\n" + keys[0] + "\n");
    assertThat(Age.Identities.read(f).isEmpty()).isFalse();
    Files.writeString(f, "# nothing\n");
    assertThatThrownBy(() -> Age.Identities.read(f))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("AGE-SECRET-KEY-1");
    Files.writeString(f, "AGE-SECRET-KEY-1NOTAKEY\n");
    assertThatThrownBy(() -> Age.Identities.read(f)).hasMessageContaining("line 1");
  }

  @Test
  void aBadRecipientIsAConfigErrorNamingTheSetAndTheIndex() throws Exception {
    String good = keyPair()[1];
    assertThatThrownBy(
            () ->
                AgentConfigLoader.parse(
                    "backups:\n  sets:\n    - { name: www, paths: [/srv], encrypt: {"
                        + " age_recipients: ["
                        + good
                        + ", age1bogus] } }\n",
                    "agent.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agent.yml")
        .hasMessageContaining("set www: encrypt.age_recipients[1]")
        .hasMessageContaining("age1bogus");
    assertThatThrownBy(
            () ->
                AgentConfigLoader.parse(
                    "backups:\n  sets:\n    - { name: www, paths: [/srv], encrypt: {"
                        + " age_recipients: [] } }\n",
                    "agent.yml"))
        .hasMessageContaining("set www: encrypt.age_recipients: expected at least one");
    BackupSetConfig s =
        AgentConfigLoader.parse(
                "backups:\n  sets:\n    - { name: www, paths: [/srv], keep_local: 2,"
                    + " upload: { deadline: 2h }, encrypt: { age_recipients: ["
                    + good
                    + "] } }\n",
                "agent.yml")
            .backups()
            .set("www")
            .orElseThrow();
    assertThat(s.recipients()).containsExactly(good);
    assertThat(s.keepLocal()).isEqualTo(2);
    assertThat(s.upload().deadline()).isEqualTo(java.time.Duration.ofHours(2));
    assertThat(s.upload().enabled()).isTrue();
  }
}
