package io.custos.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where mail goes with no {@code email:} section: the local sendmail, except under systemd's {@code
 * NoNewPrivileges=yes} (the packaged unit), where its set-group-ID queue helper cannot work and the
 * same local MTA is reached by SMTP instead.
 */
class NotifyDefaultsTest {
  @TempDir Path dir;

  private Path sendmail() throws IOException {
    Path p = dir.resolve("sendmail");
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private Path status(String noNewPrivs) throws IOException {
    return Files.writeString(
        dir.resolve("status-" + noNewPrivs),
        "Name:\tjava\nUmask:\t0077\nState:\tS (sleeping)\nNoNewPrivs:\t" + noNewPrivs + "\n");
  }

  @Test
  void localSendmailWhenThePrivilegesOfItsQueueHelperAreAvailable() throws IOException {
    NotifySection.Email e = NotifySection.ofDefaults().effectiveEmail(sendmail(), status("0"));
    assertThat(e.smtp()).isNull();
    assertThat(e.sendmail()).isEqualTo(NotifySection.DEFAULT_SENDMAIL.toString());
  }

  @Test
  void underNoNewPrivilegesTheLocalMtaIsReachedBySmtpOnLoopback() throws IOException {
    NotifySection.Email e = NotifySection.ofDefaults().effectiveEmail(sendmail(), status("1"));
    assertThat(e.smtp()).isNotNull();
    assertThat(e.smtp().host()).isEqualTo("127.0.0.1");
    assertThat(e.smtp().port()).isEqualTo(25);
    assertThat(e.smtp().starttls()).isEqualTo(NotifySection.StartTls.OFF);
    assertThat(e.to()).containsExactly("root@localhost");
  }

  @Test
  void noLocalMtaNoDefaultMail() throws IOException {
    assertThat(NotifySection.ofDefaults().effectiveEmail(dir.resolve("no-sendmail"), status("1")))
        .isNull();
  }

  @Test
  void withoutProcTheSendmailDefaultStays() throws IOException {
    NotifySection.Email e =
        NotifySection.ofDefaults().effectiveEmail(sendmail(), dir.resolve("no-such-status"));
    assertThat(e.smtp()).isNull();
  }
}
