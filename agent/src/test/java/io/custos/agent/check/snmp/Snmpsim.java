package io.custos.agent.check.snmp;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * snmpsim (Debian package {@code snmpsim}) replaying captured walks for tests: {@code snmpsimd} in
 * the foreground on a free loopback UDP port, one community per {@code .snmprec} file (its name
 * without the extension), as the LibreNMS developers replay their captures. Run as root it drops to
 * {@code nobody}, so its directories are made readable to all.
 */
final class Snmpsim implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/snmpsimd");

  private final Process process;
  private final int port;

  private Snmpsim(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts snmpsimd serving the test resources {@code /snmp/<fixture>} under the given communities;
   * writes a file named after each community holding it, for {@code community_file}.
   *
   * @param communitiesAndFixtures pairs: community, fixture file name
   */
  static Snmpsim start(Path dir, String... communitiesAndFixtures) throws IOException {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    for (int i = 0; i < communitiesAndFixtures.length; i += 2) {
      String community = communitiesAndFixtures[i];
      try (InputStream in =
          Snmpsim.class.getResourceAsStream("/snmp/" + communitiesAndFixtures[i + 1])) {
        if (in == null) {
          throw new IOException("no fixture /snmp/" + communitiesAndFixtures[i + 1]);
        }
        Files.copy(in, data.resolve(community + ".snmprec"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(dir.resolve(community), community + "\n");
    }
    var cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                BINARY.toString(),
                "--data-dir=" + data,
                "--cache-dir=" + cache,
                "--agent-udpv4-endpoint=127.0.0.1:" + port));
    if ("root".equals(System.getProperty("user.name"))) {
      for (Path p : java.util.List.of(dir, data)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
      try (var files = Files.list(data)) {
        for (Path f : files.toList()) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
      cmd.addAll(java.util.List.of("--process-user=nobody", "--process-group=nogroup"));
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("snmpsimd.out").toFile())
            .start();
    return new Snmpsim(p, port);
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
