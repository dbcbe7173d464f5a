package io.custos.collector.alert.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server for tests that offers STARTTLS (GreenMail 2.1 does not) and, only once TLS
 * is up, AUTH PLAIN — as real relays do. It records what it saw. Its certificate is made with the
 * JDK's {@code keytool}. One connection at a time.
 */
final class StartTlsSmtpSink implements AutoCloseable {
  /** What one accepted message looked like. */
  record Received(boolean tls, String authUser, String data) {}

  private final ServerSocket server;
  private final SSLContext tls;
  private final String user;
  private final String password;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;

  StartTlsSmtpSink(Path dir, String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    Path ks = dir.resolve("sink.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "sink",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "smtp-sink");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        session(s);
      } catch (IOException e) {
        // next connection
      }
    }
  }

  private void session(Socket plain) throws IOException {
    // Multi-line replies are written line by line; without this, Nagle's algorithm and the
    // client's delayed ACK add about 40 ms to every EHLO.
    plain.setTcpNoDelay(true);
    Socket s = plain;
    boolean secure = false;
    String auth = null;
    BufferedReader in = reader(s);
    OutputStream out = s.getOutputStream();
    say(out, "220 sink ESMTP");
    String line;
    while ((line = in.readLine()) != null) {
      String cmd = line.toUpperCase(java.util.Locale.ROOT);
      if (cmd.startsWith("EHLO")) {
        say(out, "250-sink");
        say(out, secure ? "250 AUTH PLAIN" : "250 STARTTLS");
      } else if (cmd.startsWith("HELO")) {
        say(out, "250 sink");
      } else if (cmd.equals("STARTTLS")) {
        say(out, "220 2.0.0 Ready to start TLS");
        SSLSocket t =
            (SSLSocket) tls.getSocketFactory().createSocket(s, "localhost", s.getPort(), true);
        t.setUseClientMode(false);
        t.startHandshake();
        s = t;
        secure = true;
        in = reader(s);
        out = s.getOutputStream();
      } else if (cmd.startsWith("AUTH PLAIN")) {
        if (!secure) {
          say(out, "538 5.7.11 Encryption required for requested authentication mechanism");
          continue;
        }
        String b64 = line.length() > "AUTH PLAIN ".length() ? line.substring(11).strip() : null;
        if (b64 == null || b64.isEmpty()) {
          say(out, "334 ");
          b64 = in.readLine();
        }
        String[] parts =
            new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).split("\0");
        if (parts.length == 3 && parts[1].equals(user) && parts[2].equals(password)) {
          auth = parts[1];
          say(out, "235 2.7.0 Authentication successful");
        } else {
          say(out, "535 5.7.8 Authentication credentials invalid");
        }
      } else if (cmd.startsWith("MAIL") || cmd.startsWith("RCPT")) {
        say(out, "250 2.1.0 Ok");
      } else if (cmd.equals("DATA")) {
        say(out, "354 End data with <CR><LF>.<CR><LF>");
        StringBuilder data = new StringBuilder();
        String d;
        while ((d = in.readLine()) != null && !d.equals(".")) {
          data.append(d).append('\n');
        }
        received.add(new Received(secure, auth, data.toString()));
        say(out, "250 2.0.0 Ok: queued as 42");
      } else if (cmd.equals("QUIT")) {
        say(out, "221 2.0.0 Bye");
        return;
      } else {
        say(out, "250 2.0.0 Ok");
      }
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void say(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
