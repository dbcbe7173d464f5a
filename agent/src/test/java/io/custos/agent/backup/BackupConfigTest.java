package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code backups:} section of agent.yml: read strictly, errors name file, line and key. */
class BackupConfigTest {
  private static AgentConfig parse(String yaml) throws ConfigException {
    return AgentConfigLoader.parse(yaml, "agent.yml");
  }

  @Test
  void aFullSetReadsWithEveryKey() throws ConfigException {
    AgentConfig c =
        parse(
            "backups:\n"
                + "  directory: /b\n"
                + "  sets:\n"
                + "    - name: www\n"
                + "      paths: [/srv/www]\n"
                + "      exclude: ['*.avi']\n"
                + "      compression: zstd\n"
                + "      level: 19\n"
                + "      workers: 2\n"
                + "      at: '02:30'\n"
                + "      week: { sun: full, wed: incr }\n"
                + "      keep: { days: 7, count: 2 }\n"
                + "      before: ['sync']\n"
                + "      after: ['true']\n"
                + "      dumps:\n"
                + "        - { name: all.sql, command: pg_dumpall }\n");
    BackupSetConfig s = c.backups().set("www").orElseThrow();
    assertThat(c.backups().directory()).isEqualTo(Path.of("/b"));
    assertThat(s.compression()).isEqualTo(Compression.ZSTD);
    assertThat(s.compressionLevel()).isEqualTo(19);
    assertThat(s.atTime().toString()).isEqualTo("02:30");
    assertThat(s.levelOn(DayOfWeek.WEDNESDAY)).contains(Level.INCR);
    assertThat(s.levelOn(DayOfWeek.MONDAY)).isEmpty();
    assertThat(s.keep()).isEqualTo(new BackupSetConfig.Keep(7, 2));
    assertThat(s.dumps()).containsExactly(new BackupSetConfig.Dump("all.sql", "pg_dumpall"));
    assertThat(s.root()).isEqualTo(Path.of("/"));
  }

  @Test
  void withoutTheSectionThereAreNoSets() throws ConfigException {
    assertThat(parse("interval: 30s\n").backups().sets()).isEmpty();
    assertThat(parse("interval: 30s\n").backups().directory())
        .isEqualTo(Path.of("/var/backups/custos"));
  }

  @Test
  void anUnknownKeyNamesFileLineAndKey() {
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - name: www\n      paths: [/srv]\n      compresion: xz\n"))
        .hasMessageStartingWith("agent.yml:5: backups.sets[0].compresion: unknown key");
  }

  @Test
  void badValuesAreRejectedWithTheKeyAndValue() {
    assertThatThrownBy(() -> parse("backups:\n  sets:\n    - { name: 'w w', paths: [/srv] }\n"))
        .hasMessageContaining("name: expected [A-Za-z0-9_-]+, got \"w w\"");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - { name: w, paths: [/srv], week: { sonday: full } }\n"))
        .hasMessageContaining("week: unknown day \"sonday\"");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - { name: w, paths: [/srv], week: { sun: weekly } }\n"))
        .hasMessageContaining("agent.yml:3")
        .hasMessageContaining("week");
    assertThatThrownBy(
            () -> parse("backups:\n  sets:\n    - { name: w, paths: [/srv], at: '25:00' }\n"))
        .hasMessageContaining("at: expected HH:MM");
    assertThatThrownBy(
            () -> parse("backups:\n  sets:\n    - { name: w, paths: [/srv], compression: rar }\n"))
        .hasMessageContaining("compression");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - { name: w, paths: [/srv], compression: gzip, level: 12 }\n"))
        .hasMessageContaining("12");
    assertThatThrownBy(() -> parse("backups:\n  sets:\n    - { name: w }\n"))
        .hasMessageContaining("paths: set w has no paths");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - { name: w, paths: [/a] }\n    - { name: w, paths: [/b] }\n"))
        .hasMessageContaining("sets: name \"w\" appears twice");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - { name: w, paths: [/a], keep: { days: 0, count: 0 } }\n"))
        .hasMessageContaining("would delete every archive");
    assertThatThrownBy(
            () ->
                parse(
                    "backups:\n  sets:\n    - name: w\n      paths: [/a]\n      dumps: [ { name: ../x, command: ls } ]\n"))
        .hasMessageContaining("dumps: name: expected a file name");
  }

  @Test
  void theSetsAreAvailableByName() throws ConfigException {
    AgentConfig c = parse("backups:\n  sets:\n    - { name: a, paths: [/a] }\n");
    assertThat(c.backups().set("a")).isPresent();
    assertThat(c.backups().set("b")).isEmpty();
    assertThat(c.backups().sets()).extracting(BackupSetConfig::name).isEqualTo(List.of("a"));
  }
}
