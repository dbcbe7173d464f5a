package io.custos.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup engine on the real system trees of the machine it runs on, as an operator runs it:
 * copies of {@code /etc}, a large part of {@code /usr/lib} (shared libraries with their absolute
 * {@code .so} links, systemd units, the Python library), {@code /usr/share/doc} and {@code
 * /var/lib/dpkg} are backed up by the built launcher as a chain (full, incr, diff, incr, with
 * changes in between: new, changed, re-moded, deleted and renamed entries, hard links, xattrs, an
 * absolute symlink, a name that is not UTF-8), with no {@code LANG}/{@code LC_*} in the
 * environment, as cron and bare systemd units run the agent. The chain is then restored twice, by
 * {@code custos-agent restore} and by GNU {@code tar -G -xpf} archive after archive, and both are
 * compared with the live tree by {@code treecmp.py}: type, mode, owner, size, content hash, link
 * target, nanosecond mtime, device numbers, xattrs and ACLs, hard-link groups. Zero differences.
 *
 * <p>Needs root (to read every file and restore owners), GNU tar, python3, setfattr and setfacl;
 * skips with a message otherwise. CI runs it as root and installs them ({@code .ci/run}).
 */
@EnabledOnOs(OS.LINUX)
class RealTreeBackupIT {
  private static final Path DIST = Path.of(System.getProperty("custos.dist", "target/custos"));

  /** Real trees, relative to {@code /}; each must exist on a Debian machine. */
  private static final List<String> TREES =
      List.of(
          "etc",
          "usr/lib/x86_64-linux-gnu",
          "usr/lib/systemd",
          "usr/lib/python3.11",
          "usr/share/doc",
          "var/lib/dpkg");

  private static final Pattern ARCHIVE = Pattern.compile("(\\S+\\.tar\\.zst)");

  @TempDir Path dir;

  @Test
  void chainOfRealSystemTreesRestoresIdenticallyWithCustosAndWithGnuTar() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to read and restore every file of the system trees; CI runs it as root");
    assumeTrue(has("tar", "--version", "GNU tar"), "needs GNU tar");
    assumeTrue(has("python3", "--version", "Python 3"), "needs python3 for treecmp.py");
    assumeTrue(has("setfattr", "--version", "setfattr"), "needs setfattr (Debian package attr)");
    assumeTrue(has("setfacl", "--version", "setfacl"), "needs setfacl (Debian package acl)");
    List<String> trees = TREES.stream().filter(t -> Files.isDirectory(Path.of("/", t))).toList();
    assumeTrue(trees.contains("etc"), "no /etc to back up");

    Path src = Files.createDirectories(dir.resolve("src"));
    for (String t : trees) {
      Path parent = Files.createDirectories(src.resolve(t).getParent());
      sh("cp -a /" + t + " '" + parent + "/'");
    }
    Path config = dir.resolve("agent.yml");
    Files.writeString(
        config,
        "node: realtree\n"
            + "backups:\n"
            + "  directory: "
            + dir.resolve("archives")
            + "\n"
            + "  sets:\n"
            + "    - name: real\n"
            + "      root: "
            + src
            + "\n"
            + "      paths: ["
            + String.join(", ", trees)
            + "]\n"
            + "      compression: zstd\n");

    List<Path> archives = new ArrayList<>();
    archives.add(backup(config, "full"));
    sh(
        "cd '"
            + src
            + "' && printf 'new\\n' > etc/custos-new.conf"
            + " && ln etc/custos-new.conf etc/custos-new.hardlink"
            + " && ln -s /usr/share/zoneinfo/Etc/UTC etc/custos-localtime"
            + " && ln -s dir/ etc/custos-to-dir"
            + " && printf 'latin1\\n' > \"etc/$(printf 'caf\\351.txt')\""
            + " && printf 'utf8\\n' > \"etc/$(printf 'caf\\303\\251 \\346\\227\\245.txt')\""
            + " && f=$(find usr/share/doc -type f | sort | sed -n 1p) && chmod 0600 \"$f\""
            + " && rm -f \"$(find usr/share/doc -type f | sort | sed -n 2p)\""
            + " && echo changed >> etc/debian_version"
            + " && setfattr -n user.custos -v 0x00ff01 etc/custos-new.conf"
            + " && setfattr -n user.empty etc/custos-new.conf"
            + " && setfacl -m u:1234:rw etc/custos-new.conf");
    archives.add(backup(config, "incr"));
    sh(
        "cd '"
            + src
            + "' && mv var/lib/dpkg/info var/lib/dpkg/info.renamed"
            + " && rm -r \"$(find usr/share/doc -mindepth 1 -maxdepth 1 -type d | sort | sed -n 3p)\""
            + " && mkdir -p etc/custos-dir/sub && : > etc/custos-dir/sub/empty"
            + " && echo again >> etc/custos-new.conf"
            + " && truncate -s 64M etc/custos-sparse.img"
            + " && printf 'data' | dd of=etc/custos-sparse.img bs=1 seek=33554432 conv=notrunc"
            + " 2>/dev/null");
    Path diff = backup(config, "diff");
    archives.add(diff);
    sh(
        "cd '"
            + src
            + "' && mv etc/custos-dir etc/custos-dir2"
            + " && rm etc/custos-new.hardlink"
            + " && chown 3000000000:3000000001 etc/custos-dir2/sub/empty"
            + " && touch -h -d '1969-07-20 20:17:40.123456789 UTC' etc/custos-to-dir");
    Path last = backup(config, "incr");
    archives.add(last);

    Path byCustos = dir.resolve("restored-custos");
    Result restore =
        run(
            List.of(
                bin("custos-agent"),
                "restore",
                "--config",
                config.toString(),
                "--set",
                "real",
                "--to",
                byCustos.toString()));
    assertThat(restore.exit).as(restore.output).isZero();

    // GNU tar restores the chain the operator would pick: the full, the diff since it, then the
    // incremental after the diff.
    Path byTar = Files.createDirectories(dir.resolve("restored-gnu-tar"));
    for (Path a : List.of(archives.get(0), diff, last)) {
      Result x =
          run(
              List.of(
                  "tar",
                  "--zstd",
                  "-G",
                  "--xattrs",
                  "--xattrs-include=*",
                  "--acls",
                  "-xpf",
                  a.toString(),
                  "-C",
                  byTar.toString()));
      assertThat(x.exit).as(a + ": " + x.output).isZero();
    }

    List<String> cmp = new ArrayList<>(List.of("python3", treecmp().toString()));
    for (String t : trees) {
      cmp.add("--under");
      cmp.add(t);
    }
    cmp.addAll(List.of(src.toString(), byCustos.toString(), byTar.toString()));
    Result compared = run(cmp);
    assertThat(compared.output).contains("0 differences");
    assertThat(compared.exit).as(compared.output).isZero();
  }

  /**
   * Removes the trees with rm: JUnit's own clean-up logs a warning for each of the thousands of
   * symlinks whose target lies outside the temporary directory.
   */
  @AfterEach
  void removeTrees() throws IOException, InterruptedException {
    run(
        List.of(
            "rm",
            "-rf",
            dir.resolve("src").toString(),
            dir.resolve("restored-custos").toString(),
            dir.resolve("restored-gnu-tar").toString()));
  }

  /** Runs {@code backup run} at the given level and returns the archive it wrote. */
  private Path backup(Path config, String level) throws Exception {
    // Archive names carry the UTC second; the next one must not collide with the previous.
    Instant started = Instant.now();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> Instant.now().getEpochSecond() > started.getEpochSecond());
    Result r =
        run(
            List.of(
                bin("custos-agent"),
                "backup",
                "run",
                "--config",
                config.toString(),
                "--set",
                "real",
                "--level",
                level));
    assertThat(r.exit).as(r.output).isZero();
    Matcher m = ARCHIVE.matcher(r.output);
    assertThat(m.find()).as(r.output).isTrue();
    Path archive = Path.of(m.group(1));
    return archive.isAbsolute() ? archive : dir.resolve("archives").resolve(archive);
  }

  private Path treecmp() throws URISyntaxException {
    return Path.of(getClass().getResource("treecmp.py").toURI());
  }

  private static String bin(String tool) {
    return DIST.resolve("bin").resolve(tool).toAbsolutePath().toString();
  }

  private static boolean has(String tool, String arg, String expect) {
    try {
      Result r = run(List.of(tool, arg));
      return r.exit == 0 && r.output.contains(expect);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void sh(String script) throws IOException, InterruptedException {
    Result r = run(List.of("sh", "-c", script));
    assertThat(r.exit).as(script + "\n" + r.output).isZero();
  }

  private record Result(int exit, String output) {}

  /** Runs a command with no locale in its environment, output and errors merged. */
  private static Result run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_"));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
