package io.custos.collector.alert.notify;

import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local MTA: {@code sendmail -t -oi} with the message on standard input, recipients taken from
 * its headers, so {@code /etc/aliases} resolves {@code root} as it does for cron's mail. A non-zero
 * exit or a run longer than {@value #TIMEOUT_S} s is a failure naming the exit code and what
 * sendmail printed; it is retried unless the exit code says the message will never be accepted
 * ({@link #PERMANENT_EXITS}).
 */
final class SendmailSender implements EmailNotifier.Sender {
  static final int TIMEOUT_S = 60;

  /**
   * sysexits.h codes after which the same message would be refused again: EX_USAGE, EX_DATAERR,
   * EX_NOUSER, EX_NOHOST. Any other failure (EX_TEMPFAIL above all) is retried.
   */
  static final java.util.Set<Integer> PERMANENT_EXITS = java.util.Set.of(64, 65, 67, 68);

  private final String program;

  SendmailSender(String program) {
    this.program = program;
  }

  @Override
  public String deliver(MimeMessage message, List<String> recipients) throws Exception {
    Process p = new ProcessBuilder(program, "-t", "-oi").redirectErrorStream(true).start();
    try {
      IOException writeFailure = null;
      try (OutputStream in = p.getOutputStream()) {
        message.writeTo(in);
      } catch (IOException e) {
        // sendmail exited before reading everything; its exit code says why, below.
        writeFailure = e;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream o = p.getInputStream()) {
        o.transferTo(out);
      }
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IOException(program + " -t -oi did not finish within " + TIMEOUT_S + "s");
      }
      String said = out.toString(StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        String what =
            program + " -t -oi exited " + p.exitValue() + (said.isEmpty() ? "" : ": " + said);
        throw PERMANENT_EXITS.contains(p.exitValue())
            ? DeliveryException.permanent(what, null)
            : DeliveryException.temporary(what, null);
      }
      if (writeFailure != null) {
        throw new IOException(
            program + " -t -oi exited 0 without reading the whole message: " + writeFailure,
            writeFailure);
      }
      return program + " -t -oi exited 0" + (said.isEmpty() ? "" : ": " + said);
    } finally {
      p.destroyForcibly();
    }
  }
}
