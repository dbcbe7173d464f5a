package io.custos.agent.cli;

import io.custos.agent.AgentVersion;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.Catalog;
import io.custos.agent.backup.Uploader;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.agent.ship.ArchiveClient;
import io.custos.agent.ship.TlsFiles;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent backup upload}: sends the archives the collector does not have yet, now, on
 * this thread, with the daemon's queue ({@code custos-upload-queue.json} in {@code
 * backups.directory}) and rules (manifest first, each set in chain order, a set stops at its first
 * failure). For {@code backup run} from cron on a node where no agent daemon runs: without a daemon
 * nothing else uploads. Prints what went and what is still queued, with the last error.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Send the archives not yet on the collector now (sets with upload enabled).",
      "The agent daemon does this by itself after every run; use this after 'backup run' from"
          + " cron on a node where no daemon runs."
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  nothing left to send", "  2  some archives could not be sent", "  3  usage%n"})
final class UploadCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @Option(names = "--set", paramLabel = "NAME", description = "Only this set.")
  String set;

  @Spec CommandSpec spec;

  UploadCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgentConfigFiles.Loaded loaded;
    String token;
    try {
      loaded = BackupCli.load(options, env);
      token = AgentConfigLoader.token(loaded.config(), env.variables(), loaded.source());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return AgentMain.FAILURE;
    }
    AgentConfig config = loaded.config();
    List<BackupSetConfig> sets =
        set == null
            ? config.backups().sets()
            : List.of(BackupCli.set(spec.commandLine(), loaded, set));
    ArchiveClient client;
    try {
      client =
          new ArchiveClient(
              config.collector().url(),
              token,
              AgentVersion.userAgent(),
              TlsFiles.socketFactory(
                  config.collector().caFile(),
                  config.collector().certificate(),
                  config.collector().key()));
    } catch (IOException e) {
      err.println("cannot upload: " + e.getMessage());
      return AgentMain.FAILURE;
    }
    Uploader u =
        new Uploader(
            config.node(), config.backups().directory(), ArchiveClient.remote(client), env.clock());
    try {
      for (BackupSetConfig s : sets) {
        if (config.backups().uploadOf(s).enabled()) {
          u.enqueueNotUploaded(
              s.name(), Catalog.list(config.backups().directory(), config.node(), s.name()));
        }
      }
      int sent = u.drainNow();
      List<Uploader.Pending> left =
          u.pending().stream().filter(p -> set == null || p.set().equals(set)).toList();
      for (Uploader.Pending p : left) {
        err.println(
            "not sent: " + p.archive() + (p.lastError() == null ? "" : " (" + p.lastError() + ")"));
      }
      out.printf(
          Locale.ROOT,
          "%s: %d archive(s) sent to %s, %d still queued%n",
          left.isEmpty() ? "OK" : "FAILED",
          sent,
          config.collector().url(),
          left.size());
      return left.isEmpty() ? 0 : AgentMain.FAILURE;
    } catch (IOException e) {
      err.println("cannot upload: " + e.getMessage());
      return AgentMain.FAILURE;
    } finally {
      u.close();
    }
  }
}
