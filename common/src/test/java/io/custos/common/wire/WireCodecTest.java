package io.custos.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private final WireCodec codec = new WireCodec();

  private static byte[] golden() throws IOException {
    // The documented example lives at the repository root so README and tests share one file.
    return Files.readAllBytes(Path.of("..", "docs", "report-v1.json"));
  }

  @Test
  void decodesTheDocumentedGoldenReport() throws IOException {
    Report r = codec.decode(golden());

    assertThat(r.v()).isEqualTo(1);
    assertThat(r.node()).isEqualTo("web01");
    assertThat(r.seq()).isEqualTo(1842);
    assertThat(r.intervalS()).isEqualTo(30);
    assertThat(r.tags()).containsExactly("web");
    assertThat(r.results()).hasSize(2);
    CheckResult fs = r.results().get(0);
    assertThat(fs.status()).isEqualTo(Status.OK);
    assertThat(fs.output()).isEqualTo("DISK OK - free space: / 4992 MB (70% inode=84%)");
    assertThat(fs.metrics().get(0))
        .isEqualTo(
            new Metric("fs_used_percent", Map.of("mount", "/"), 30.1, "%", 80.0, 90.0, 0.0, 100.0));
    assertThat(r.results().get(1).longOutput()).isEqualTo("root pts/0\nalice pts/1");
    assertThat(r.backups().get(0).bytes()).isEqualTo(261711066L);
  }

  @Test
  void encodeThenDecodeGivesTheSameReport() throws IOException {
    Report r = codec.decode(golden());
    assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
    String json = new String(codec.encode(r), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"interval_s\":30")
        .contains("\"long_output\"")
        .doesNotContain("\"warn\":null");
  }

  @Test
  void ignoresUnknownFields() {
    Report r =
        codec.decode(
            bytes(
                "{\"v\":1,\"node\":\"n1\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,"
                    + "\"future\":{\"x\":1},\"results\":[{\"service\":\"s\",\"status\":\"OK\","
                    + "\"output\":\"o\",\"time\":5,\"colour\":\"red\"}]}"));
    assertThat(r.results()).hasSize(1);
    assertThat(r.backups()).isEmpty();
  }

  @Test
  void badStatusIsRejectedNamingTheFieldAndValue() {
    String json =
        "{\"v\":1,\"node\":\"n1\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,\"results\":["
            + result("OK")
            + ","
            + result("OK")
            + ","
            + result("OK")
            + ","
            + result("BAD")
            + "]}";
    assertThatThrownBy(() -> codec.decode(bytes(json)))
        .isInstanceOf(WireException.class)
        .hasMessage("results[3].status: expected OK|WARNING|CRITICAL|UNKNOWN, got \"BAD\"");
  }

  @Test
  void twoResultsWithOneServiceFromOneCheckAreRefusedNamingIt() {
    String smart =
        "{\"service\":\"SMART /dev/sda\",\"check\":\"smart\",\"status\":\"%s\","
            + "\"output\":\"o\",\"time\":5}";
    String json =
        "{\"v\":1,\"node\":\"n1\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,\"results\":["
            + smart.formatted("OK")
            + ","
            + smart.formatted("WARNING").replace("\"smart\"", "\"command\"")
            + ","
            + smart.formatted("WARNING")
            + "]}";
    assertThatThrownBy(() -> codec.decode(bytes(json)))
        .isInstanceOf(WireException.class)
        .hasMessage(
            "results[2].service: \"SMART /dev/sda\" from check smart repeats results[0]: one"
                + " check reports one service once");
  }

  @Test
  void missingRequiredFieldIsNamed() {
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes("{\"v\":1,\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30}")))
        .hasMessage("node: missing");
  }

  @Test
  void wrongTypeIsNamedWithTheValue() {
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes(
                        "{\"v\":1,\"node\":\"n\",\"agent\":\"a\",\"seq\":\"7\",\"sent\":5,\"interval_s\":30}")))
        .hasMessage("seq: expected an integer, got \"7\"");
  }

  @Test
  void constraintInsideANestedRecordGetsTheFullPath() {
    String json =
        "{\"v\":1,\"node\":\"n\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,\"results\":[{"
            + "\"service\":\"s\",\"status\":\"OK\",\"output\":\"o\",\"time\":5,"
            + "\"metrics\":[{\"name\":\"ok\",\"value\":1},{\"name\":\"bad-name\",\"value\":1}]}]}";
    assertThatThrownBy(() -> codec.decode(bytes(json)))
        .hasMessageStartingWith("results[0].metrics[1].name: expected [a-zA-Z_:]");
  }

  @Test
  void multiLineOutputIsRejected() {
    String json =
        "{\"v\":1,\"node\":\"n\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,\"results\":[{"
            + "\"service\":\"s\",\"status\":\"OK\",\"output\":\"a\\nb\",\"time\":5}]}";
    assertThatThrownBy(() -> codec.decode(bytes(json)))
        .hasMessage("results[0].output: must be one line; put further lines in long_output");
  }

  @Test
  void unsupportedVersionIsRejected() {
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes(
                        "{\"v\":2,\"node\":\"n\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30}")))
        .hasMessage("v: unsupported wire format version 2, expected 1");
  }

  @Test
  void malformedJsonNamesThePosition() {
    assertThatThrownBy(() -> codec.decode(bytes("{\"v\":1,\n\"node\": }")))
        .isInstanceOf(WireException.class)
        .hasMessageStartingWith("malformed JSON at line 2, column");
  }

  @Test
  void nonObjectBodyIsRejected() {
    assertThatThrownBy(() -> codec.decode(bytes("[1,2]")))
        .hasMessage("expected an object, got an array");
    assertThatThrownBy(() -> codec.decode(bytes("")))
        .hasMessage("empty body, expected a JSON object");
  }

  @Test
  void hostileNodeNamesAreRejected() {
    for (String node : List.of("../etc", "a b", "", "-x")) {
      String json =
          "{\"v\":1,\"node\":\""
              + node
              + "\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30}";
      assertThatThrownBy(() -> codec.decode(bytes(json)))
          .hasMessageStartingWith("node: expected a host name");
    }
  }

  @Test
  void worseOrdersLikeMonitoringPlugins() {
    assertThat(Status.OK.worse(Status.UNKNOWN)).isEqualTo(Status.UNKNOWN);
    assertThat(Status.UNKNOWN.worse(Status.WARNING)).isEqualTo(Status.WARNING);
    assertThat(Status.CRITICAL.worse(Status.WARNING)).isEqualTo(Status.CRITICAL);
    assertThat(Status.fromExitCode(7)).isEqualTo(Status.UNKNOWN);
  }

  private static String result(String status) {
    return "{\"service\":\"s\",\"status\":\"" + status + "\",\"output\":\"o\",\"time\":5}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bytesTakenForAnUnsupportedUcs4ByteOrderAreAWireExceptionNotACrash() {
    // Found by HttpFuzzTest: Jackson's encoding detection threw CharConversionException, which
    // left the decoder as an UncheckedIOException and the report route answered 500.
    for (byte[] body :
        List.of(
            new byte[] {0, 0, (byte) 0xFF, (byte) 0xFE},
            new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 0},
            new byte[] {0, '{', 0, 0})) {
      assertThatThrownBy(() -> codec.decode(body))
          .isInstanceOf(WireException.class)
          .hasMessageContaining("JSON");
    }
  }
}
