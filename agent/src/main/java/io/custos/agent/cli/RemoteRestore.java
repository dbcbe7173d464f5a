package io.custos.agent.cli;

import io.custos.agent.AgentVersion;
import io.custos.agent.backup.Age;
import io.custos.agent.backup.RemoteChain;
import io.custos.agent.backup.Restorer;
import io.custos.agent.backup.Sizes;
import io.custos.agent.ship.ArchiveClient;
import io.custos.agent.ship.TlsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code custos-agent restore --from URL}: disaster recovery from the collector's archive store on
 * a machine with no agent and no {@code agent.yml}. Reads the node's catalog; {@link RemoteChain}
 * picks the chain for {@code --at} (newest by default: the tip of the newest chain, by the {@code
 * base} each archive was uploaded with and the order the collector took them, not by stamps) and
 * downloads each archive and its manifest (sha256-checked) into a private temporary directory
 * beside {@code --to}; they are restored in order as a local chain restore does, every file checked
 * against its manifest, and the downloads are deleted. This class keeps the options and printing.
 */
final class RemoteRestore {
  private final RestoreCommand cmd;
  private final Age.Identities ids;

  RemoteRestore(RestoreCommand cmd, Age.Identities ids) {
    this.cmd = cmd;
    this.ids = ids;
  }

  int call() {
    CommandLine cli = cmd.spec.commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    if (cmd.source != null && cmd.source.archive != null && !cmd.source.archive.isEmpty()) {
      throw new CommandLine.ParameterException(cli, "--archive does not go with --from");
    }
    if (cmd.node == null) {
      throw new CommandLine.ParameterException(cli, "--from needs --node NAME");
    }
    String set = cmd.source == null ? null : cmd.source.set;
    if (!cmd.list && (set == null || cmd.to == null)) {
      throw new CommandLine.ParameterException(
          cli, "--from needs --set NAME and --to DIR (or --list)");
    }
    ArchiveClient client;
    try {
      client =
          new ArchiveClient(
              cmd.from,
              token(cli),
              AgentVersion.userAgent(),
              TlsFiles.socketFactory(cmd.caFile, null, null));
    } catch (IOException e) {
      err.println("cannot restore: " + e.getMessage());
      return AgentMain.FAILURE;
    }
    List<ArchiveClient.Entry> entries;
    try {
      entries = client.catalog(cmd.node, set);
    } catch (IOException e) {
      err.println(
          "cannot read the catalog of " + cmd.node + " from " + cmd.from + ": " + e.getMessage());
      return AgentMain.FAILURE;
    }
    if (cmd.list) {
      list(out, entries);
      return 0;
    }
    Path tmp = null;
    try {
      Path target = cmd.to.toAbsolutePath();
      Files.createDirectories(target.getParent());
      tmp =
          Files.createTempDirectory(
              target.getParent(),
              ".custos-download-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      List<RemoteChain.Stored> stored = new ArrayList<>();
      for (ArchiveClient.Entry e : entries) {
        stored.add(
            new RemoteChain.Stored(
                e.object(), e.base(), e.size(), e.sha256(), e.manifest(), e.uploaded()));
      }
      Instant when =
          cmd.at == null
              ? Instant.MAX
              : BackupCli.parseTime(cli, cmd.at, java.time.ZoneId.systemDefault());
      List<RemoteChain.Stored> chain;
      try {
        chain = RemoteChain.choose(stored, set, when);
      } catch (IllegalStateException e) {
        err.println("cannot restore: " + e.getMessage() + " of node " + cmd.node);
        return AgentMain.FAILURE;
      }
      String node = cmd.node;
      List<Path> files =
          RemoteChain.download(
              chain,
              new RemoteChain.Store() {
                @Override
                public void download(String object, Path target, String sha256) throws IOException {
                  client.download(node, object, target, sha256);
                }

                @Override
                public java.util.Optional<String> sha256(String object) throws IOException {
                  return client.head(node, object).map(ArchiveClient.Stored::sha256);
                }
              },
              tmp,
              err::println);
      if (!ids.isEmpty() || files.stream().noneMatch(RemoteRestore::encrypted)) {
        return cmd.restore(files, Path.of("/"), true, ids, out, err);
      }
      err.println(
          "restore failed: "
              + files.stream()
                  .filter(RemoteRestore::encrypted)
                  .findFirst()
                  .orElseThrow()
                  .getFileName()
              + " is encrypted with age; give its identity file with --identity FILE");
      return AgentMain.USAGE;
    } catch (IOException | IllegalStateException e) {
      err.println("cannot restore: " + e.getMessage());
      return AgentMain.FAILURE;
    } finally {
      if (tmp != null) {
        try {
          Restorer.deleteTreeIfExists(tmp);
        } catch (IOException e) {
          err.println("warning: cannot remove the downloads in " + tmp + ": " + e.getMessage());
        }
      }
    }
  }

  private static boolean encrypted(Path archive) {
    return archive.getFileName().toString().endsWith(Age.SUFFIX);
  }

  private void list(PrintWriter out, List<ArchiveClient.Entry> entries) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ARCHIVE", "LEVEL", "SIZE", "CREATED", "BASE", "ENCRYPTED", "UPLOADED"});
    for (ArchiveClient.Entry e : entries) {
      rows.add(
          new String[] {
            e.object(),
            e.level(),
            Sizes.human(e.size()),
            e.created(),
            e.base() == null ? "-" : e.base(),
            e.encrypted() == null ? "-" : e.encrypted(),
            e.uploaded() == null ? "-" : e.uploaded()
          });
    }
    Table.print(out, rows, new boolean[] {false, false, true, false, false, false, false});
    out.printf(Locale.ROOT, "%d archive(s) of %s%n", entries.size(), cmd.node);
  }

  private String token(CommandLine cli) {
    if (cmd.tokenFile != null) {
      try {
        String t =
            Files.readString(cmd.tokenFile, StandardCharsets.UTF_8)
                .strip()
                .lines()
                .findFirst()
                .orElse("")
                .strip();
        if (t.isEmpty()) {
          throw new CommandLine.ParameterException(
              cli, "--token-file " + cmd.tokenFile + " is empty");
        }
        return t;
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            cli, "--token-file " + cmd.tokenFile + ": cannot read: " + e.getMessage());
      }
    }
    String t = cmd.env().variables().get("CUSTOS_TOKEN");
    if (t == null || t.isBlank()) {
      throw new CommandLine.ParameterException(
          cli,
          "--from needs a restore or admin token: --token-file FILE or the CUSTOS_TOKEN"
              + " environment variable");
    }
    return t.strip();
  }
}
