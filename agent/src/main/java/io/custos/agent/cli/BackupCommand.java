package io.custos.agent.cli;

import io.custos.agent.backup.Age;
import io.custos.agent.backup.BackupHeap;
import io.custos.agent.backup.BackupLauncher;
import io.custos.agent.backup.BackupRunner;
import io.custos.agent.backup.BackupScheduler;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.Catalog;
import io.custos.agent.backup.ChildProcessBackupLauncher;
import io.custos.agent.backup.Level;
import io.custos.agent.backup.OutcomeJson;
import io.custos.agent.backup.Progress;
import io.custos.agent.backup.Prune;
import io.custos.agent.backup.Sizes;
import io.custos.agent.backup.Uploader;
import io.custos.agent.backup.Verifier;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custos-agent backup run|list|verify|prune}: the backup sets of {@code agent.yml}. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = "Make, list, verify and prune the archives of the backup sets in agent.yml.",
    subcommands = {
      BackupCommand.Run.class,
      BackupCommand.ListArchives.class,
      BackupCommand.Verify.class,
      BackupCommand.PruneArchives.class,
      UploadCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  OK", "  1  done with warnings", "  2  failed", "  3  usage%n"})
final class BackupCommand implements Runnable {
  @Spec CommandSpec spec;

  BackupCommand(AgentMain.Env env) {}

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  private static final DateTimeFormatter SHOW =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** {@code backup run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Back up one set now: hooks, dumps, then the archive and its manifest in"
            + " backups.directory.",
        "Without --level the weekly table's level for today is used; a diff or incr without a"
            + " full yet is made as a full.",
        "The running agent daemon takes the run over at its next cycle, as if it had made it:"
            + " the Backup <set> service, the collector's catalog and retention."
      },
      footerHeading = "%nExit codes:%n",
      footer = {
        "  0  archive written",
        "  1  archive written with warnings (files changed while read, unreadable files)",
        "  2  failed (hook, dump, write)",
        "  3  usage%n"
      })
  static final class Run implements Callable<Integer> {
    private final AgentMain.Env env;

    @Mixin CommonOptions options = new CommonOptions();

    @Option(names = "--set", required = true, paramLabel = "NAME", description = "The set.")
    String set;

    @Option(
        names = "--level",
        paramLabel = "LEVEL",
        description = "full, diff or incr (default: the weekly table's for today).")
    String level;

    @Option(
        names = "--result-json",
        paramLabel = "FILE",
        description =
            "Also write the outcome as one JSON object to FILE (how the daemon, which runs"
                + " scheduled backups as this command in a child JVM, learns the result).")
    Path resultJson;

    @Spec CommandSpec spec;

    Run(AgentMain.Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      AgentConfigFiles.Loaded loaded;
      try {
        loaded = BackupCli.load(options, env);
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return refused(e.getMessage(), err);
      }
      BackupSetConfig s;
      try {
        s = BackupCli.set(spec.commandLine(), loaded, set);
      } catch (CommandLine.ParameterException e) {
        if (resultJson == null) {
          throw e;
        }
        // The daemon asked for a set its configuration file no longer has: a failed run.
        err.println(e.getMessage());
        return refused(e.getMessage(), err);
      }
      Level lvl;
      try {
        lvl = level == null ? null : Level.fromToken(level);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
      }
      Progress progress = new Progress();
      BackupRunner runner =
          new BackupRunner(
              loaded.config().node(), loaded.config().backups().directory(), env.clock(), progress);
      BackupRunner.Outcome o;
      String launcher = System.getProperty(BackupLauncher.LAUNCHER_PROPERTY);
      if (resultJson == null
          && launcher != null
          && !launcher.isBlank()
          && BackupHeap.shortfall(s, Runtime.getRuntime().maxMemory()).isPresent()) {
        // This JVM's heap cannot hold the encoder: run as the daemon would, in a child JVM whose
        // heap is sized for it.
        err.println(
            "note: compression "
                + s.compression().configName()
                + " needs a larger heap than this JVM's; running the backup in a child JVM with "
                + BackupHeap.ENV
                + "="
                + BackupHeap.format(
                    BackupHeap.required(s, heapBase(env.variables().get(BackupHeap.ENV)))));
        o =
            new ChildProcessBackupLauncher(
                    List.of(launcher),
                    loaded.file() == null ? null : loaded.file().toAbsolutePath(),
                    loaded.config().backups().directory(),
                    env.clock())
                .run(s, lvl);
      } else {
        try (ProgressPrinter p = ProgressPrinter.start(progress, err)) {
          o = runner.run(s, lvl);
        }
      }
      if (resultJson != null) {
        try {
          OutcomeJson.write(o, resultJson);
        } catch (IOException e) {
          err.println("cannot write --result-json " + resultJson + ": " + e);
          return AgentMain.FAILURE;
        }
      } else {
        // A run by hand counts like a scheduled one: the daemon takes it over at its next cycle.
        try {
          BackupScheduler.handOver(loaded.config().backups().directory(), o);
        } catch (IOException e) {
          err.println(
              "warning: the agent daemon will not learn of this run (the Backup "
                  + s.name()
                  + " service and the collector's catalog miss it): "
                  + e);
        }
      }
      if (!o.note().isEmpty()) {
        err.println("note: " + o.note());
      }
      o.warnings().forEach(w -> err.println("warning: " + w));
      Duration took = Duration.between(o.started(), o.finished());
      if (o.archive() != null) {
        out.printf(
            Locale.ROOT,
            "%s: %s %s, %,d entries, %s, %.1fs%n",
            o.ok() ? "OK" : "FAILED",
            o.level().token(),
            o.archive(),
            o.files(),
            Sizes.human(o.bytes()),
            took.toMillis() / 1000.0);
      }
      if (!o.ok()) {
        err.println("backup of set " + s.name() + " failed: " + o.message());
        return AgentMain.FAILURE;
      }
      return o.warnings().isEmpty() ? 0 : 1;
    }

    private static long heapBase(String configured) {
      try {
        return configured == null ? BackupHeap.DEFAULT_BASE : BackupHeap.parse(configured);
      } catch (IllegalArgumentException e) {
        return BackupHeap.DEFAULT_BASE;
      }
    }

    /** A run that could not start, also told to {@code --result-json}. */
    private int refused(String message, PrintWriter err) {
      if (resultJson != null) {
        var now = env.clock().instant();
        try {
          OutcomeJson.write(
              new BackupRunner.Outcome(
                  set, null, null, false, 0, 0, now, now, message, "", List.of()),
              resultJson);
        } catch (IOException e) {
          err.println("cannot write --result-json " + resultJson + ": " + e);
        }
      }
      return AgentMain.FAILURE;
    }
  }

  /** {@code backup list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the archives in backups.directory, oldest first, as an aligned table.",
      footerHeading = "%nExit codes:%n",
      footer = {"  0  listed", "  2  cannot read the directory or configuration", "  3  usage%n"})
  static final class ListArchives implements Callable<Integer> {
    private final AgentMain.Env env;

    @Mixin CommonOptions options = new CommonOptions();

    @Option(names = "--set", paramLabel = "NAME", description = "Only this set.")
    String set;

    @Option(
        names = "--identity",
        paramLabel = "FILE",
        description = "age identity file to decrypt encrypted archives and manifests with.")
    Path identity;

    @Spec CommandSpec spec;

    ListArchives(AgentMain.Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        AgentConfigFiles.Loaded loaded = BackupCli.load(options, env);
        if (set != null) {
          BackupCli.set(spec.commandLine(), loaded, set);
        }
        Age.Identities ids = identities(spec.commandLine(), identity);
        List<Catalog.Item> items =
            Catalog.list(loaded.config().backups().directory(), null, set, ids);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ARCHIVE", "LEVEL", "SIZE", "FILES", "CREATED", "BASE"});
        for (Catalog.Item i : items) {
          String files;
          try {
            files = String.format(Locale.ROOT, "%,d", Catalog.countEntries(i.file(), ids));
          } catch (IOException e) {
            files = "?";
          }
          rows.add(
              new String[] {
                i.fileName(),
                i.level().token(),
                Sizes.human(i.bytes()),
                files,
                SHOW.format(i.created()),
                i.manifestOk() ? (i.base() == null ? "-" : i.base()) : "(no manifest)"
              });
        }
        Table.print(out, rows, new boolean[] {false, false, true, true, false, false});
        return 0;
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return AgentMain.FAILURE;
      } catch (IOException e) {
        err.println("cannot list backups: " + e.getMessage());
        return AgentMain.FAILURE;
      }
    }
  }

  /** {@code backup verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Read an archive through and check every file's sha256 and the archive's own against"
            + " its manifest.",
        "ARCHIVE is a path, or a file name in backups.directory."
      },
      footerHeading = "%nExit codes:%n",
      footer = {
        "  0  intact",
        "  2  damaged or unreadable (the entry and offset are named)",
        "  3  usage%n"
      })
  static final class Verify implements Callable<Integer> {
    private final AgentMain.Env env;

    @Mixin CommonOptions options = new CommonOptions();

    @Parameters(paramLabel = "ARCHIVE", description = "The archive.")
    Path archive;

    @Option(
        names = "--identity",
        paramLabel = "FILE",
        description = "age identity file to decrypt encrypted archives and manifests with.")
    Path identity;

    @Spec CommandSpec spec;

    Verify(AgentMain.Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path file = archive;
      if (!Files.exists(file) && archive.getNameCount() == 1) {
        try {
          file = BackupCli.load(options, env).config().backups().directory().resolve(archive);
        } catch (ConfigException e) {
          err.println(e.getMessage());
          return AgentMain.FAILURE;
        }
      }
      try {
        Verifier.Report r = new Verifier(identities(spec.commandLine(), identity)).verify(file);
        out.printf(
            Locale.ROOT,
            "OK: %s: %,d entries, %,d files, %s checked%n",
            file.getFileName(),
            r.entries(),
            r.files(),
            Sizes.human(r.contentBytes()));
        return 0;
      } catch (Age.IdentityRequiredException e) {
        err.println("FAILED: " + e.getMessage());
        return AgentMain.USAGE;
      } catch (IOException e) {
        err.println("FAILED: " + e.getMessage());
        return AgentMain.FAILURE;
      }
    }
  }

  /** {@code backup prune}. */
  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description = {
        "Delete the archives each set's keep: no longer keeps, never one a kept archive depends"
            + " on.",
        "Archives of sets no longer in agent.yml are left alone."
      },
      footerHeading = "%nExit codes:%n",
      footer = {"  0  done", "  2  failed", "  3  usage%n"})
  static final class PruneArchives implements Callable<Integer> {
    private final AgentMain.Env env;

    @Mixin CommonOptions options = new CommonOptions();

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Option(names = "--set", paramLabel = "NAME", description = "Only this set.")
    String set;

    @Spec CommandSpec spec;

    PruneArchives(AgentMain.Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        AgentConfigFiles.Loaded loaded = BackupCli.load(options, env);
        List<BackupSetConfig> sets =
            set == null
                ? loaded.config().backups().sets()
                : List.of(BackupCli.set(spec.commandLine(), loaded, set));
        int n = 0;
        Path directory = loaded.config().backups().directory();
        for (BackupSetConfig s : sets) {
          for (Catalog.Item i :
              Prune.apply(
                  directory,
                  loaded.config().node(),
                  s,
                  env.clock().instant(),
                  Uploader.pendingIn(directory),
                  dryRun)) {
            out.println((dryRun ? "would delete " : "deleted ") + i.fileName());
            n++;
          }
        }
        if (n == 0) {
          out.println("nothing to delete");
        }
        return 0;
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return AgentMain.FAILURE;
      } catch (IOException e) {
        err.println("prune failed: " + e.getMessage());
        return AgentMain.FAILURE;
      }
    }
  }

  /** The identities of {@code --identity}, none when it is not given; a bad file is usage. */
  static Age.Identities identities(CommandLine cli, Path identity) {
    if (identity == null) {
      return Age.Identities.none();
    }
    try {
      return Age.Identities.read(identity);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(cli, "--identity: " + e.getMessage());
    }
  }
}
