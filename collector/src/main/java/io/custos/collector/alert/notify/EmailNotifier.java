package io.custos.collector.alert.notify;

import io.custos.collector.config.NotifySection;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Mail: builds a plain-text UTF-8 {@link MimeMessage} to the configured recipients (default {@code
 * root}) and hands it to the local sendmail ({@link SendmailSender}) or an SMTP relay ({@link
 * SmtpSender}).
 */
public final class EmailNotifier implements Notifier {
  /** Hands a finished message to the mail system; returns its answer. */
  interface Sender {
    String deliver(MimeMessage message, List<String> recipients) throws Exception;
  }

  private final NotifySection.Email config;
  private final Session session;
  private final Sender sender;
  private final String from;

  EmailNotifier(NotifySection.Email config, Session session, Sender sender) {
    this.config = config;
    this.session = session;
    this.sender = sender;
    this.from = config.from() != null ? config.from() : "custos@" + localHostName();
  }

  /** The notifier for {@code config}: SMTP when {@code smtp:} is set, else sendmail. */
  public static EmailNotifier of(NotifySection.Email config) {
    if (config.smtp() != null) {
      SmtpSender smtp = new SmtpSender(config.smtp());
      return new EmailNotifier(config, smtp.session(), smtp);
    }
    return new EmailNotifier(
        config, Session.getInstance(new Properties()), new SendmailSender(config.sendmail()));
  }

  /** Sends a message to {@code to} (or the configured recipients when null); returns the answer. */
  public String sendTest(String to, String subject, String body) throws Exception {
    List<String> rcpt = to == null ? config.to() : List.of(to);
    return sender.deliver(build(subject, body, rcpt), rcpt);
  }

  @Override
  public String send(Message m) throws Exception {
    return sender.deliver(build(m.subject(), m.body(), config.to()), config.to());
  }

  /** Which transport, for logs: {@code sendmail /usr/sbin/sendmail -> root}. */
  public String describe() {
    String how =
        config.smtp() != null
            ? "smtp " + config.smtp().host() + ":" + config.smtp().port()
            : "sendmail " + config.sendmail();
    return how + " -> " + String.join(", ", config.to());
  }

  private MimeMessage build(String subject, String body, List<String> to)
      throws MessagingException {
    MimeMessage msg = new MimeMessage(session);
    msg.setFrom(new InternetAddress(from));
    List<Address> rcpt = new ArrayList<>();
    for (String t : to) {
      rcpt.add(address(t));
    }
    msg.setRecipients(jakarta.mail.Message.RecipientType.TO, rcpt.toArray(new Address[0]));
    msg.setSubject(subject, StandardCharsets.UTF_8.name());
    msg.setSentDate(new Date());
    msg.setText(body, StandardCharsets.UTF_8.name());
    msg.setHeader("Auto-Submitted", "auto-generated");
    msg.saveChanges();
    return msg;
  }

  /** Parses an address; a bare local name such as {@code root} is kept as it is, for aliases. */
  private static Address address(String text) throws AddressException {
    InternetAddress a = new InternetAddress(text, false);
    return a;
  }

  /**
   * This host's name for the default sender {@code custos@<host>}: the fully qualified name ({@link
   * InetAddress#getCanonicalHostName}, a reverse lookup), falling back to the hostname when that
   * lookup yields only an address or fails, and to {@code localhost} when even that is unknown.
   */
  static String localHostName() {
    InetAddress local;
    try {
      local = InetAddress.getLocalHost();
    } catch (UnknownHostException e) {
      return "localhost";
    }
    return senderHost(local.getCanonicalHostName(), local.getHostName());
  }

  /**
   * The canonical name unless it is missing or an address literal (the reverse lookup failed), else
   * {@code hostname}; {@code localhost} when both are unusable.
   */
  static String senderHost(String canonical, String hostname) {
    if (usable(canonical)) {
      return canonical;
    }
    return usable(hostname) ? hostname : "localhost";
  }

  private static boolean usable(String name) {
    return name != null
        && !name.isBlank()
        && !name.contains(":")
        && !name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
