package io.custos.collector.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.custos.collector.alert.Notice;
import io.custos.collector.alert.NoticeType;
import io.custos.collector.config.NotifySection;
import io.custos.common.wire.Status;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both mail transports for real: SMTP against an in-process GreenMail (plain, SMTPS, AUTH;
 * GreenMail 2.1 offers no STARTTLS, which lets the test show that {@code starttls: required}
 * refuses such a server) and against {@link StartTlsSmtpSink} for the STARTTLS upgrade itself, and
 * sendmail through a stand-in script that records argv and stdin.
 */
class EmailNotifierTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
              new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort()
              })
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("custos", "s3cret"));

  @TempDir Path dir;

  private static final Notice PROBLEM =
      new Notice(
          NoticeType.PROBLEM,
          "web01",
          "Filesystem /",
          Status.CRITICAL,
          "DISK CRITICAL - free space: / 12 MB (1% inode=80%)",
          1_795_783_567_907L,
          1_795_783_507_907L,
          3,
          3,
          null,
          null);

  private static Message message() {
    return Messages.compose(
        "web01", List.of(PROBLEM), "https://mon.example.net/", ZoneId.of("UTC"));
  }

  private Path passwordFile(String password) throws Exception {
    Path p = dir.resolve("smtp.pass");
    Files.writeString(p, password + "\n");
    return p;
  }

  private NotifySection.Email smtp(
      int port, boolean smtps, NotifySection.StartTls tls, String password) throws Exception {
    return new NotifySection.Email(
        List.of("root@localhost"),
        "custos@collector.example.net",
        null,
        new NotifySection.Smtp(
            "127.0.0.1",
            port,
            tls,
            smtps,
            password == null ? null : "custos",
            password == null ? null : passwordFile(password).toString(),
            "*",
            null));
  }

  @Test
  void smtpsWithAuthDeliversAndReportsTheServersAnswer() throws Exception {
    EmailNotifier n = EmailNotifier.of(smtp(MAIL.getSmtps().getPort(), true, null, "s3cret"));
    String answer = n.send(message());
    assertThat(answer).startsWith("250");
    MimeMessage[] got = MAIL.getReceivedMessages();
    assertThat(got).hasSize(1);
    assertThat(got[0].getSubject()).isEqualTo("[custos] PROBLEM web01/Filesystem / is CRITICAL");
    String body = (String) got[0].getContent();
    assertThat(body)
        .contains("Notification Type: PROBLEM")
        .contains("Service: Filesystem /")
        .contains("Attempt: 3/3")
        .contains("Since: 2026-11-27 12:45:07 UTC (1m)")
        .contains("DISK CRITICAL - free space")
        .contains("Dashboard: https://mon.example.net/?host=web01");
    assertThat(got[0].getHeader("Auto-Submitted")).containsExactly("auto-generated");
  }

  @Test
  void aWrongPasswordIsAFailure() throws Exception {
    EmailNotifier n = EmailNotifier.of(smtp(MAIL.getSmtps().getPort(), true, null, "wrong"));
    assertThatThrownBy(() -> n.send(message())).hasMessageContaining("535");
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void starttlsRequiredRefusesAServerThatDoesNotOfferIt() throws Exception {
    EmailNotifier n =
        EmailNotifier.of(
            smtp(MAIL.getSmtp().getPort(), false, NotifySection.StartTls.REQUIRED, null));
    assertThatThrownBy(() -> n.send(message())).hasMessageContaining("STARTTLS");
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void starttlsOpportunisticFallsBackToPlainAndAuthWorksThere() throws Exception {
    EmailNotifier n =
        EmailNotifier.of(
            smtp(MAIL.getSmtp().getPort(), false, NotifySection.StartTls.OPPORTUNISTIC, "s3cret"));
    assertThat(n.send(message())).startsWith("250");
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }

  @Test
  void starttlsRequiredUpgradesThenAuthenticatesAndSends() throws Exception {
    try (StartTlsSmtpSink sink = new StartTlsSmtpSink(dir, "custos", "s3cret")) {
      EmailNotifier n =
          EmailNotifier.of(smtp(sink.port(), false, NotifySection.StartTls.REQUIRED, "s3cret"));
      assertThat(n.send(message())).isEqualTo("250 2.0.0 Ok: queued as 42");
      assertThat(sink.received()).hasSize(1);
      StartTlsSmtpSink.Received r = sink.received().get(0);
      assertThat(r.tls()).as("upgraded before AUTH and DATA").isTrue();
      assertThat(r.authUser()).isEqualTo("custos");
      assertThat(r.data()).contains("Subject: [custos] PROBLEM web01/Filesystem / is CRITICAL");
    }
  }

  @Test
  void starttlsOffNeverUpgradesSoTheRelayRefusesAuth() throws Exception {
    try (StartTlsSmtpSink sink = new StartTlsSmtpSink(dir, "custos", "s3cret")) {
      EmailNotifier n =
          EmailNotifier.of(smtp(sink.port(), false, NotifySection.StartTls.OFF, "s3cret"));
      assertThatThrownBy(() -> n.send(message()))
          .hasMessageContaining("offers no AUTH (starttls: off)");
      assertThat(sink.received()).isEmpty();
    }
  }

  @Test
  void sendmailGetsDashTDashOiAndTheWholeMessageToRoot() throws Exception {
    Path argv = dir.resolve("argv");
    Path stdin = dir.resolve("stdin");
    Path script =
        script("#!/bin/sh\necho \"$@\" > " + argv + "\ncat > " + stdin + "\necho queued\n");
    EmailNotifier n =
        EmailNotifier.of(new NotifySection.Email(null, "custos@c1", script.toString(), null));
    String answer = n.send(message());
    assertThat(answer).isEqualTo(script + " -t -oi exited 0: queued");
    assertThat(Files.readString(argv).strip()).isEqualTo("-t -oi");
    String mail = Files.readString(stdin, StandardCharsets.UTF_8);
    assertThat(mail)
        .contains("To: root\r\n")
        .contains("From: custos@c1")
        .contains("Subject: [custos] PROBLEM web01/Filesystem / is CRITICAL")
        .contains("Notification Type: PROBLEM");
  }

  @Test
  void theDefaultSenderIsCustosAtThisHostsFqdnAndAConfiguredFromWins() throws Exception {
    Path stdin = dir.resolve("stdin");
    Path script = script("#!/bin/sh\ncat > " + stdin + "\necho queued\n");
    EmailNotifier.of(new NotifySection.Email(null, null, script.toString(), null)).send(message());

    java.net.InetAddress local = java.net.InetAddress.getLocalHost();
    String fqdn = EmailNotifier.senderHost(local.getCanonicalHostName(), local.getHostName());
    assertThat(Files.readString(stdin, StandardCharsets.UTF_8))
        .contains("From: custos@" + fqdn + "\r\n");

    EmailNotifier.of(new NotifySection.Email(null, "pager@example.net", script.toString(), null))
        .send(message());
    assertThat(Files.readString(stdin, StandardCharsets.UTF_8))
        .contains("From: pager@example.net\r\n");
  }

  @Test
  void theSenderHostIsTheCanonicalNameElseTheHostname() {
    assertThat(EmailNotifier.senderHost("mon1.example.net", "mon1")).isEqualTo("mon1.example.net");
    // A failed reverse lookup gives the address back: the hostname is the better name.
    assertThat(EmailNotifier.senderHost("192.0.2.7", "mon1")).isEqualTo("mon1");
    assertThat(EmailNotifier.senderHost("fe80:0:0:0:1%eth0", "mon1")).isEqualTo("mon1");
    assertThat(EmailNotifier.senderHost(null, "")).isEqualTo("localhost");
  }

  @Test
  void aFailingSendmailIsAFailureNamingItsExitCodeAndOutput() throws Exception {
    Path script = script("#!/bin/sh\ncat > /dev/null\necho 'mail queue full' >&2\nexit 75\n");
    EmailNotifier n =
        EmailNotifier.of(new NotifySection.Email(null, null, script.toString(), null));
    assertThatThrownBy(() -> n.send(message()))
        .hasMessageContaining("exited 75")
        .hasMessageContaining("mail queue full")
        .isInstanceOfSatisfying(
            DeliveryException.class, e -> assertThat(e.retryable()).as("EX_TEMPFAIL").isTrue());
  }

  @Test
  void aSendmailSayingNoSuchUserIsNotRetried() throws Exception {
    Path script = script("#!/bin/sh\ncat > /dev/null\necho 'root... User unknown' >&2\nexit 67\n");
    EmailNotifier n =
        EmailNotifier.of(new NotifySection.Email(null, null, script.toString(), null));
    assertThatThrownBy(() -> n.send(message()))
        .hasMessageContaining("exited 67")
        .isInstanceOfSatisfying(
            DeliveryException.class, e -> assertThat(e.retryable()).as("EX_NOUSER").isFalse());
  }

  @Test
  void anSmtpReplyCodeDecidesWhetherToRetry() {
    assertThat(
            SmtpSender.refused(new jakarta.mail.MessagingException("550 no such user"), 550)
                .retryable())
        .isFalse();
    assertThat(
            SmtpSender.refused(new jakarta.mail.MessagingException("451 try later"), 451)
                .retryable())
        .isTrue();
  }

  @Test
  void aSendmailThatExitsAtOnceIsNamedByItsExitCode() throws Exception {
    EmailNotifier n = EmailNotifier.of(new NotifySection.Email(null, null, "/bin/false", null));
    assertThatThrownBy(() -> n.send(message())).hasMessageContaining("/bin/false -t -oi exited 1");
  }

  private Path script(String text) throws Exception {
    Path p = dir.resolve("sendmail");
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
