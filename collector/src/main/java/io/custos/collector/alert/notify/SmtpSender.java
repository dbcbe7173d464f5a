package io.custos.collector.alert.notify;

import io.custos.collector.config.NotifySection;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * SMTP to a relay with Angus Mail: plain, STARTTLS (required or opportunistic) or SMTPS, optional
 * AUTH with the password read from {@code password_file} at each send (so it can be rotated).
 * Answers the server's last reply, e.g. {@code 250 2.0.0 Ok: queued as 4B1F2}. A 5xx refusal of the
 * message or a recipient is a permanent {@link DeliveryException}; everything else (4xx, no
 * connection, authentication) is retried.
 */
final class SmtpSender implements EmailNotifier.Sender {
  private final NotifySection.Smtp config;
  private final Session session;

  SmtpSender(NotifySection.Smtp config) {
    this.config = config;
    this.session = Session.getInstance(properties(config));
  }

  Session session() {
    return session;
  }

  static Properties properties(NotifySection.Smtp c) {
    String p = c.smtps() ? "mail.smtps." : "mail.smtp.";
    Properties props = new Properties();
    props.put(p + "host", c.host());
    props.put(p + "port", String.valueOf(c.port()));
    props.put(p + "auth", String.valueOf(c.username() != null));
    // The EHLO name and the Message-ID host, resolved once here: left to itself Angus Mail looks
    // them up for every message, a reverse DNS query that can cost more than the SMTP exchange.
    String self = localHostName();
    props.put(p + "localhost", self);
    props.put("mail.host", self);
    String ms = String.valueOf(c.timeout().toMillis());
    props.put(p + "connectiontimeout", ms);
    props.put(p + "timeout", ms);
    props.put(p + "writetimeout", ms);
    if (!c.smtps()) {
      boolean tls = c.starttls() != NotifySection.StartTls.OFF;
      props.put(p + "starttls.enable", String.valueOf(tls));
      props.put(
          p + "starttls.required", String.valueOf(c.starttls() == NotifySection.StartTls.REQUIRED));
    } else {
      props.put(p + "ssl.enable", "true");
    }
    props.put(p + "ssl.checkserveridentity", String.valueOf(c.sslTrust() == null));
    if (c.sslTrust() != null) {
      props.put(p + "ssl.trust", c.sslTrust());
    }
    return props;
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getCanonicalHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public String deliver(MimeMessage message, List<String> recipients) throws Exception {
    Address[] rcpt = new Address[recipients.size()];
    for (int i = 0; i < rcpt.length; i++) {
      rcpt[i] = new InternetAddress(recipients.get(i), false);
    }
    try (Transport t = session.getTransport(config.smtps() ? "smtps" : "smtp")) {
      if (config.username() != null) {
        t.connect(config.host(), config.port(), config.username(), password());
        // Angus Mail skips AUTH silently when the server does not offer it (typically before
        // STARTTLS); sending unauthenticated then is not what the operator configured.
        if (!((SMTPTransport) t).supportsExtension("AUTH")) {
          throw new jakarta.mail.MessagingException(
              "smtp "
                  + config.host()
                  + ":"
                  + config.port()
                  + " offers no AUTH (starttls: "
                  + config.starttls().name().toLowerCase(java.util.Locale.ROOT)
                  + "); not sending unauthenticated as "
                  + config.username());
        }
      } else {
        t.connect(config.host(), config.port(), null, null);
      }
      try {
        t.sendMessage(message, rcpt);
      } catch (jakarta.mail.SendFailedException e) {
        throw refused(e, replyCode(e));
      }
      String answer = ((SMTPTransport) t).getLastServerResponse();
      return answer == null ? "accepted" : answer.strip();
    }
  }

  /** The SMTP reply code in {@code e} or its chain, 0 when there is none. */
  static int replyCode(Exception e) {
    Exception x = e;
    while (x != null) {
      if (x instanceof SMTPSendFailedException f) {
        return f.getReturnCode();
      }
      if (x instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      x = x instanceof jakarta.mail.MessagingException m ? m.getNextException() : null;
    }
    return 0;
  }

  /**
   * An SMTP refusal as a {@link DeliveryException}: a 5xx reply (no such mailbox, message refused)
   * is permanent, as RFC 5321 defines it; a 4xx one is worth retrying.
   */
  static DeliveryException refused(Exception e, int code) {
    String what = "smtp refused the message: " + e.getMessage();
    return code >= 500 && code < 600
        ? DeliveryException.permanent(what, e)
        : DeliveryException.temporary(what, e);
  }

  private String password() throws IOException {
    Path file = Path.of(config.passwordFile());
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException("smtp.password_file " + file + " is empty");
    }
    return lines.get(0);
  }
}
