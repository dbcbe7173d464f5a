package io.custos.collector.cli;

import io.custos.collector.alert.notify.EmailNotifier;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.NotifySection;
import io.custos.common.config.ConfigException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code test-email [--to ADDRESS]}: sends one test mail through the configured transport (SMTP
 * relay or local sendmail) and prints what the server answered — the acceptance test after install.
 * Exit 0 when the mail was accepted, 2 otherwise.
 */
@Command(
    name = "test-email",
    mixinStandardHelpOptions = true,
    description = "Send a test mail through the configured transport and print the answer.",
    footer = {"", CollectorMain.EXIT_CODES})
final class TestEmailCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      paramLabel = "ADDRESS",
      description = "Recipient instead of notify.email.to.")
  String to;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CollectorConfig cfg;
    try {
      cfg = config.load();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return CollectorMain.FAILURE;
    }
    NotifySection.Email email = cfg.notifications().effectiveEmail();
    if (email == null) {
      err.println(
          "custos-collector: no email transport: configure notify.email in "
              + config.describe()
              + " or install a local MTA at "
              + NotifySection.DEFAULT_SENDMAIL);
      return CollectorMain.FAILURE;
    }
    EmailNotifier notifier = EmailNotifier.of(email);
    out.println(
        "sending a test mail via "
            + notifier.describe().replaceAll(" -> .*", "")
            + " to "
            + (to == null ? String.join(", ", email.to()) : to));
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "this collector";
    }
    try {
      String answer =
          notifier.sendTest(
              to,
              "[custos] TEST from " + host,
              "This is a test mail from custos-collector on "
                  + host
                  + " at "
                  + Instant.now()
                  + ".\nIf you read this, alert mail reaches you.\n");
      out.println("accepted: " + answer);
      return CollectorMain.OK;
    } catch (Exception e) {
      err.println("custos-collector: test mail NOT accepted: " + e.getMessage());
      return CollectorMain.FAILURE;
    }
  }
}
