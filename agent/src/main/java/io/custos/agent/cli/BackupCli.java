package io.custos.agent.cli;

import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.BackupsConfig;
import io.custos.common.config.ConfigException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** What the backup commands share: the configuration and reading their arguments. */
final class BackupCli {
  private BackupCli() {}

  /** The configuration, or a printed error. */
  static AgentConfigFiles.Loaded load(CommonOptions options, AgentMain.Env env)
      throws ConfigException {
    return AgentConfigFiles.load(options.config, env.defaultConfig());
  }

  /** The set {@code name}; an unknown one is a usage error naming the known sets. */
  static BackupSetConfig set(CommandLine cli, AgentConfigFiles.Loaded loaded, String name) {
    BackupsConfig b = loaded.config().backups();
    return b.set(name)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    cli,
                    "no backup set \""
                        + name
                        + "\" in "
                        + loaded.source()
                        + (b.sets().isEmpty()
                            ? " (it has no backups.sets)"
                            : " (sets: "
                                + b.sets().stream()
                                    .map(BackupSetConfig::name)
                                    .collect(Collectors.joining(", "))
                                + ")")));
  }

  /**
   * Reads a time: {@code 2026-11-27T01:00:00Z} (an instant), {@code 20261127T010000Z} (as in
   * archive names), {@code 2026-11-27T01:00[:ss]} or {@code 2026-11-27 01:00} (local, in {@code
   * zone}), or {@code 2026-11-27} (the end of that day, local).
   */
  static Instant parseTime(CommandLine cli, String text, ZoneId zone) {
    String t = text.trim();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(t, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // next
    }
    try {
      return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      // next
    }
    try {
      return LocalDate.parse(t).plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          cli,
          "--at: expected a time like 2026-11-27T01:00:00Z, 20261127T010000Z, \"2026-11-27"
              + " 01:00\" or 2026-11-27, got \""
              + text
              + "\"");
    }
  }
}
