package io.custos.agent.cli;

import io.custos.agent.AgentVersion;
import io.custos.agent.backup.Age;
import io.custos.agent.backup.ArchiveName;
import io.custos.agent.backup.Catalog;
import io.custos.agent.backup.Chains;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code custos-agent restore --from URL}: disaster recovery from the collector's archive store on
 * a machine with no agent and no {@code agent.yml}. Reads the node's catalog, picks the chain for
 * {@code --at} (newest by default) by the {@code base} each archive was uploaded with, downloads
 * each archive (sha256-checked) into a private temporary directory beside {@code --to}, restores
 * them in order as a local chain restore does, and deletes the downloads.
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
    if (cmd.source != null && cmd.source.archive != null) {
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
      List<Catalog.Item> items = new ArrayList<>();
      for (ArchiveClient.Entry e : entries) {
        var name = ArchiveName.tryParse(e.object());
        if (name.isPresent() && name.get().set().equals(set)) {
          items.add(
              new Catalog.Item(name.get(), tmp.resolve(e.object()), e.size(), e.base(), true));
        }
      }
      if (items.isEmpty()) {
        err.println("the collector has no archives of set " + set + " of node " + cmd.node);
        return AgentMain.FAILURE;
      }
      items.sort(Comparator.comparing(Catalog.Item::created).thenComparing(Catalog.Item::fileName));
      Instant when =
          cmd.at == null
              ? Instant.MAX
              : BackupCli.parseTime(cli, cmd.at, java.time.ZoneId.systemDefault());
      List<Catalog.Item> chain = Chains.chainAt(items, when);
      List<Path> files = new ArrayList<>();
      for (Catalog.Item i : chain) {
        String sha =
            entries.stream()
                .filter(e -> e.object().equals(i.fileName()))
                .findFirst()
                .map(ArchiveClient.Entry::sha256)
                .orElse(null);
        err.println("downloading " + i.fileName() + " (" + Sizes.human(i.bytes()) + ")");
        client.download(cmd.node, i.fileName(), i.file(), sha);
        files.add(i.file());
      }
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
