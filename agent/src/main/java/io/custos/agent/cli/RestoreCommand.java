package io.custos.agent.cli;

import io.custos.agent.backup.Age;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.ChainRestore;
import io.custos.agent.backup.Progress;
import io.custos.agent.backup.RestoreOptions;
import io.custos.agent.backup.RestoreResult;
import io.custos.agent.backup.Sizes;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent restore}: restores the chain of a set for a time (or the chain ending in one
 * archive) into a directory, refusing entries that would escape it.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a set as it was at a time: the last full at or before --at and the diff/incr"
          + " archives after it, applied in order (deletions and renames included).",
      "Names are restored below DIR as they are in the archive (relative to the set's root)."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  restored",
      "  1  restored with warnings (e.g. device nodes without root)",
      "  2  some entries could not be restored (each is named; the rest was restored), or the"
          + " restore failed (non-empty DIR without --force, broken archive or chain)",
      "  3  usage%n"
    })
final class RestoreCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description =
          "age identity file (AGE-SECRET-KEY-1..., as age-keygen writes it) to decrypt"
              + " encrypted archives.")
  Path identity;

  @Option(
      names = "--from",
      paramLabel = "URL",
      description =
          "Fetch the chain from this collector (e.g. https://collector:8480) instead of"
              + " backups.directory; needs no agent.yml.")
  java.net.URI from;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description = "With --from: the node whose archives to restore (default: this one's).")
  String node;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "With --from: file holding a restore or admin token (default: the CUSTOS_TOKEN"
              + " environment variable).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "With --from https: PEM CA bundle the collector's certificate chains to.")
  Path caFile;

  @Option(
      names = "--list",
      description = "With --from: list the collector's archives of --node (and --set) and stop.")
  boolean list;

  static final class Source {
    @Option(names = "--set", paramLabel = "NAME", description = "The set to restore.")
    String set;

    @Option(
        names = "--archive",
        paramLabel = "FILE",
        description = {
          "Restore the chain that ends with this archive (or just it, if foreign).",
          "Repeated: a foreign chain, level 0 first (GNU tar -g ... -cf l0.tar, l1.tar, ...),"
              + " each level's dumpdirs applied as tar -G -x applies them."
        })
    List<Path> archive;
  }

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "The state to restore (default: now, i.e. the newest archive): 2026-11-27T01:00:00Z,"
              + " 20261127T010000Z, \"2026-11-27 01:00\" (local) or 2026-11-27 (end of day).")
  String at;

  @Option(names = "--to", paramLabel = "DIR", description = "Target directory.")
  Path to;

  @Option(
      names = "--path",
      paramLabel = "SUBPATH",
      description = "Only this path and what is below it (absolute, or as named in the archive).")
  String path;

  @Option(names = "--force", description = "Restore into a non-empty DIR, replacing what clashes.")
  boolean force;

  @Spec CommandSpec spec;

  RestoreCommand(AgentMain.Env env) {
    this.env = env;
  }

  AgentMain.Env env() {
    return env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Age.Identities ids;
    try {
      ids = identity == null ? Age.Identities.none() : Age.Identities.read(identity);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--identity: " + e.getMessage());
    }
    if (from != null) {
      return new RemoteRestore(this, ids).call();
    }
    for (String o : new String[] {"--node", "--token-file", "--ca-file", "--list"}) {
      boolean given =
          switch (o) {
            case "--node" -> node != null;
            case "--token-file" -> tokenFile != null;
            case "--ca-file" -> caFile != null;
            default -> list;
          };
      if (given) {
        throw new CommandLine.ParameterException(spec.commandLine(), o + " goes with --from");
      }
    }
    if (source == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give --set NAME or --archive FILE (or --from URL)");
    }
    if (to == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--to DIR is required");
    }
    List<Path> chain;
    Path root = Path.of("/");
    try {
      if (source.set != null) {
        AgentConfigFiles.Loaded loaded = BackupCli.load(options, env);
        BackupSetConfig s = BackupCli.set(spec.commandLine(), loaded, source.set);
        root = s.root();
        Instant when =
            at == null
                ? Instant.MAX
                : BackupCli.parseTime(spec.commandLine(), at, env.clock().getZone());
        chain =
            ChainRestore.ofSet(
                loaded.config().backups().directory(), loaded.config().node(), s.name(), when, ids);
      } else {
        if (at != null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--at goes with --set, not --archive");
        }
        chain = ChainRestore.endingIn(source.archive, ids);
      }
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return AgentMain.FAILURE;
    } catch (NoSuchFileException e) {
      err.println("no such archive: " + e.getFile());
      return AgentMain.FAILURE;
    } catch (IOException | IllegalStateException e) {
      err.println("cannot restore: " + e.getMessage());
      return AgentMain.FAILURE;
    }
    return restore(chain, root, source.set != null, ids, out, err);
  }

  /** Restores {@code chain} (local files, full first) into {@code --to}; the exit code. */
  int restore(
      List<Path> chain,
      Path root,
      boolean ofSet,
      Age.Identities ids,
      PrintWriter out,
      PrintWriter err) {
    RestoreOptions opts = RestoreOptions.defaults().withAllowNonEmpty(force);
    if (path != null) {
      String only = path;
      Path p;
      try {
        p = Path.of(path);
      } catch (InvalidPathException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--path "
                + path
                + ": not a file name this process can read ("
                + e.getReason()
                + "); names that are not UTF-8 need a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
      }
      if (p.isAbsolute()) {
        if (!p.normalize().startsWith(root)) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--path " + path + " is outside the set's root " + root);
        }
        only = root.relativize(p.normalize()).toString();
      }
      opts = opts.withOnly(only.isEmpty() ? null : only);
    }
    for (Path a : chain) {
      err.println("restoring " + a.getFileName());
    }
    Progress progress = new Progress();
    progress.total(System.console() != null ? ChainRestore.totalBytes(chain) : -1);
    RestoreResult r;
    try (ProgressPrinter p = ProgressPrinter.start(progress, err)) {
      r = ChainRestore.restore(chain, ofSet, to, opts, progress, ids);
    } catch (Age.IdentityRequiredException e) {
      err.println("restore failed: " + e.getMessage());
      return AgentMain.USAGE;
    } catch (IOException e) {
      err.println("restore failed: " + e.getMessage());
      return AgentMain.FAILURE;
    }
    r.warnings().forEach(w -> err.println("warning: " + w));
    r.failures().forEach(f -> err.println("error: " + f));
    if (path != null && r.entries() == 0) {
      // as GNU tar's "Not found in archive": a selection that matched nothing is no restore
      err.println("restore failed: no entry of the chain matches --path " + path);
      return AgentMain.FAILURE;
    }
    out.printf(
        Locale.ROOT,
        "%s: %,d entries, %s restored to %s from %d archive(s), %,d deleted as in the chain%s%n",
        r.complete() ? "OK" : "FAILED",
        r.entries(),
        Sizes.human(r.bytes()),
        to,
        chain.size(),
        r.deleted(),
        r.complete()
            ? ""
            : String.format(Locale.ROOT, "; %,d could not be restored", r.failures().size()));
    if (!r.complete()) {
      return AgentMain.FAILURE;
    }
    return r.warnings().isEmpty() ? 0 : 1;
  }
}
