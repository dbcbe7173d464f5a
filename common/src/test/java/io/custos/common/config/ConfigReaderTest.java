package io.custos.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.units.ByteSize;
import io.custos.common.units.Percent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
  record Spool(String directory, @JsonProperty("max_size") ByteSize maxSize) {}

  record Check(String type, Percent warning, Percent critical) {
    Check {
      if (warning != null && critical != null && warning.value() >= critical.value()) {
        throw new IllegalArgumentException(
            "warning (" + warning + ") must be below critical (" + critical + ")");
      }
    }
  }

  record Sample(String node, Duration interval, Spool spool, List<Check> checks) {
    Sample {
      interval = interval == null ? Duration.ofSeconds(30) : interval;
    }
  }

  private final ConfigReader reader = new ConfigReader();

  @Test
  void readsUnitsAndDefaults() throws Exception {
    Sample s =
        reader.read(
            "node: web01\ninterval: 15s\nspool: { directory: /tmp/s, max_size: 64MB }\n"
                + "checks:\n  - { type: filesystem, warning: 80%, critical: 90 }\n",
            "agent.yml", Sample.class);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.spool().maxSize().bytes()).isEqualTo(64L << 20);
    assertThat(s.checks().get(0).critical().value()).isEqualTo(90.0);
  }

  @Test
  void emptyOrCommentOnlyFileMeansAllDefaults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("agent.yml");
    Files.writeString(f, "# nothing yet\n");
    assertThat(reader.read(f, Sample.class).interval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void unknownKeyNamesFileLineAndKey() {
    assertThatThrownBy(
            () ->
                reader.read(
                    "node: a\nchecks:\n  - type: filesystem\n    warnign: 80%\n",
                    "/etc/custos/agent.yml", Sample.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("/etc/custos/agent.yml:4: checks[0].warnign: unknown key")
        .hasMessageContaining("known keys: critical, type, warning");
  }

  @Test
  void badValueNamesKeyAndValue() {
    assertThatThrownBy(() -> reader.read("interval: 30 seconds\n", "agent.yml", Sample.class))
        .hasMessageStartingWith("agent.yml:1: interval: ")
        .hasMessageContaining("\"30 seconds\"");
    assertThatThrownBy(() -> reader.read("spool: { max_size: huge }\n", "agent.yml", Sample.class))
        .hasMessageStartingWith("agent.yml:1: spool.max_size: ")
        .hasMessageContaining("\"huge\"");
  }

  @Test
  void recordValidationIsReportedWithItsPath() {
    assertThatThrownBy(
            () ->
                reader.read(
                    "checks:\n  - { type: fs, warning: 95%, critical: 90% }\n",
                    "a.yml", Sample.class))
        .hasMessageContaining("checks[0]")
        .hasMessageContaining("warning (95%) must be below critical (90%)");
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    assertThatThrownBy(() -> reader.read("node: a\n  interval: [\n", "a.yml", Sample.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("a.yml:");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> reader.read(dir.resolve("nope.yml"), Sample.class))
        .hasMessage(dir.resolve("nope.yml") + ": no such file");
  }
}
