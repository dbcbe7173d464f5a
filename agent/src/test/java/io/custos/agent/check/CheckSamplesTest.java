package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample YAML of each check kind ({@code samples/<type>.yml} beside the checks) is the one
 * source: it must parse and validate as {@code check-config} would, build its checks, and appear
 * verbatim in {@code docs/checks.md}.
 */
class CheckSamplesTest {
  static Iterable<String> types() {
    return CheckRegistry.types();
  }

  static String sample(String type) throws IOException {
    try (InputStream in = CheckSamplesTest.class.getResourceAsStream("samples/" + type + ".yml")) {
      assertThat(in).as("samples/%s.yml", type).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @MethodSource("types")
  void sampleParsesValidatesAndBuilds(String type) throws Exception {
    String yaml = "checks:\n" + sample(type).replaceAll("(?m)^", "  ");

    AgentConfig config = AgentConfigLoader.parse(yaml, "samples/" + type + ".yml");

    assertThat(config.checks())
        .isNotEmpty()
        .extracting(CheckConfig::kind)
        .allMatch(CheckRegistry.configType(type)::isInstance);
    assertThat(CheckRegistry.createAll(config.checks())).allMatch(c -> c.kind() != null);
  }

  @ParameterizedTest
  @MethodSource("types")
  void docsShowTheSample(String type) throws Exception {
    // Surefire runs in the module directory; the docs are at the repository's top.
    String docs = Files.readString(Path.of("..", "docs", "checks.md"));

    assertThat(docs).contains("```yaml\n").contains(sample(type));
  }
}
