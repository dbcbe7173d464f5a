package io.custos.agent.check.snmp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Net-SNMP agent for tests: Debian's {@code /usr/sbin/snmpd} in the foreground on a free
 * loopback UDP port, with community {@code custos-test} and the v3 users {@code custos} (SHA/AES)
 * and {@code custos256} (SHA-256/AES), state under the given directory. Secret files for both are
 * written there ({@code community}, {@code auth}, {@code priv}).
 */
public final class Snmpd implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/snmpd");
  public static final String AUTH = "custos-auth-pass";
  public static final String PRIV = "custos-priv-pass";

  private final Process process;
  private final int port;

  private Snmpd(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** True when the snmpd binary is installed (Debian package snmpd). */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts snmpd; the caller waits until it answers. */
  public static Snmpd start(Path dir) throws IOException {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("snmpd.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "rocommunity custos-test 127.0.0.1",
            "createUser custos SHA \"" + AUTH + "\" AES \"" + PRIV + "\"",
            "rouser custos priv",
            "createUser custos256 SHA-256 \"" + AUTH + "\" AES \"" + PRIV + "\"",
            "rouser custos256 priv",
            ""));
    Files.writeString(dir.resolve("community"), "custos-test\n");
    Files.writeString(dir.resolve("auth"), AUTH + "\n");
    Files.writeString(dir.resolve("priv"), PRIV + "\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                BINARY.toString(),
                "-f",
                "-C",
                "-c",
                conf.toString(),
                "-Lf",
                dir.resolve("snmpd.log").toString(),
                "--persistentDir=" + dir.resolve("persist"),
                "-I",
                "-smux",
                "udp:127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("snmpd.out").toFile());
    pb.environment().put("MIBS", "");
    return new Snmpd(pb.start(), port);
  }

  public int port() {
    return port;
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
