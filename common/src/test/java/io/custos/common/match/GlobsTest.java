package io.custos.common.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobsTest {
  @Test
  void starMatchesAnyRunSlashesIncludedAndQuestionMarkOneCharacter() {
    assertThat(Globs.matches("web*", "web01")).isTrue();
    assertThat(Globs.matches("web*", "web")).isTrue();
    assertThat(Globs.matches("web*", "db01")).isFalse();
    assertThat(Globs.matches("/run/*", "/run/user/1000")).isTrue();
    assertThat(Globs.matches("eth?", "eth0")).isTrue();
    assertThat(Globs.matches("eth?", "eth10")).isFalse();
    assertThat(Globs.matches("*", "")).isTrue();
    assertThat(Globs.matches("?", "")).isFalse();
    assertThat(Globs.matches("", "")).isTrue();
    assertThat(Globs.matches("", "a")).isFalse();
    assertThat(Globs.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(Globs.matches("a*b*c", "aXbYbZ")).isFalse();
    assertThat(Globs.matches("*.avi", "x.avi.part")).isFalse();
    assertThat(Globs.matches("HTTP*", "http check")).as("case matters").isFalse();
  }

  @Test
  void everythingElseIsLiteralRegexCharactersIncluded() {
    assertThat(Globs.matches("a.b", "a.b")).isTrue();
    assertThat(Globs.matches("a.b", "aXb")).isFalse();
    assertThat(Globs.matches("[ab]", "a")).isFalse();
    assertThat(Globs.matches("[ab]", "[ab]")).isTrue();
    assertThat(Globs.matches("C:\\x", "C:\\x")).isTrue();
  }

  @Test
  void manyStarsAgainstALongNameStayFast() {
    String name = "a".repeat(10_000);
    assertThat(Globs.matches("*a*a*a*a*a*a*a*a*a*a*b", name)).isFalse();
  }

  @Test
  void anyAndLiteral() {
    assertThat(Globs.any(List.of("db*", "web*"), "web01")).isTrue();
    assertThat(Globs.any(List.of(), "web01")).isFalse();
    assertThat(Globs.literal("eth0")).isTrue();
    assertThat(Globs.literal("eth*")).isFalse();
    assertThat(Globs.literal("eth?")).isFalse();
  }
}
