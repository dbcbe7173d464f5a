package io.custos.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder accepts and rejects exactly what the former tree-model decoder ({@link
 * TreeWireDecoder}) did, with the same messages, on generated reports: valid ones, and ones with a
 * field dropped, nulled, duplicated, retyped, reordered or cut short, unknown fields added.
 */
class WireCodecEquivalenceTest {
  private final WireCodec streaming = new WireCodec();
  private final TreeWireDecoder tree = new TreeWireDecoder();

  private static final String[] ODD_VALUES = {
    "null",
    "\"7\"",
    "\"BAD\"",
    "\"OK\"",
    "7",
    "-1",
    "0",
    "1.5",
    "1e3",
    "1e400",
    "3000000000",
    "99999999999999999999",
    "true",
    "false",
    "[]",
    "[1,\"a\"]",
    "{}",
    "{\"x\":[1,{}]}",
    "\"a\\nb\"",
    "\"\"",
    "\"bad-name\"",
    "\"full\""
  };

  @Test
  void sameOutcomeAsTheTreeDecoderOnMutatedReports() {
    sameOutcomeOnMutatedReports(42, 2_000);
  }

  /** The same comparison on 20,000 reports: {@code mvn -Plong verify}. */
  @Test
  @Tag("long")
  void sameOutcomeAsTheTreeDecoderOn20000MutatedReports() {
    sameOutcomeOnMutatedReports(42, 20_000);
  }

  private void sameOutcomeOnMutatedReports(long seed, int count) {
    Random random = new Random(seed);
    int rejected = 0;
    for (int i = 0; i < count; i++) {
      String json = mutate(report(random), random);
      if (!sameOutcome(json)) {
        throw new AssertionError("decoders differ on: " + json);
      }
      rejected += outcome(tree, json).startsWith("!") ? 1 : 0;
    }
    // Both kinds of input must be well represented for the comparison to mean something.
    assertThat(rejected).isBetween(count / 5, count * 4 / 5);
  }

  @Test
  void duplicateKeysLastWins() {
    String head = "{\"v\":1,\"node\":\"n\",\"agent\":\"a\",\"sent\":5,\"interval_s\":30,";
    assertThat(streaming.decode(bytes(head + "\"seq\":\"7\",\"seq\":7}")).seq()).isEqualTo(7);
    assertThatThrownBy(() -> streaming.decode(bytes(head + "\"seq\":7,\"seq\":null}")))
        .hasMessage("seq: missing");
    assertThat(sameOutcome(head + "\"seq\":7,\"seq\":null}")).isTrue();
  }

  @Test
  void malformedJsonAfterABadFieldIsReportedAsMalformed() {
    String json =
        "{\"v\":1,\"node\":7,\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,\"x\":[}";
    assertThatThrownBy(() -> streaming.decode(bytes(json)))
        .hasMessageStartingWith("malformed JSON");
    assertThat(sameOutcome(json)).isTrue();
  }

  @Test
  void metricAndLabelNamesAreCheckedAsTheirDocumentedPatterns() {
    var name = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    var label = java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    String alphabet = "aZz_:09 -.\u00e9A";
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(5); n > 0; n--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = s.toString();
      assertThat(accepts(() -> Metric.of(text, Map.of(), 1, null)))
          .as("metric name \"%s\"", text)
          .isEqualTo(name.matcher(text).matches());
      assertThat(accepts(() -> Metric.of("m", Map.of(text, "v"), 1, null)))
          .as("label name \"%s\"", text)
          .isEqualTo(label.matcher(text).matches() && !text.startsWith("__"));
    }
  }

  @Test
  void doublesAreReadExactlyAsTheTreeReadThem() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      String text = random.nextBoolean() ? Double.toString(d) : String.format("%.17g", d);
      String json =
          "{\"v\":1,\"node\":\"n\",\"agent\":\"a\",\"seq\":1,\"sent\":5,\"interval_s\":30,"
              + "\"results\":[{\"service\":\"s\",\"status\":\"OK\",\"output\":\"o\",\"time\":5,"
              + "\"metrics\":[{\"name\":\"m\",\"value\":"
              + text
              + "}]}]}";
      assertThat(outcome(streaming, json)).as(text).isEqualTo(outcome(tree, json));
    }
  }

  private static boolean accepts(Runnable r) {
    try {
      r.run();
      return true;
    } catch (WireException e) {
      return false;
    }
  }

  private boolean sameOutcome(String json) {
    return outcome(streaming, json).equals(outcome(tree, json));
  }

  private static String outcome(Object decoder, String json) {
    try {
      Report r =
          decoder instanceof WireCodec c
              ? c.decode(bytes(json))
              : ((TreeWireDecoder) decoder).decode(bytes(json));
      return r.toString();
    } catch (WireException e) {
      return "!" + e.getMessage();
    }
  }

  /** A valid report as a list of JSON tokens-ish pieces, built so that mutations stay simple. */
  private static String report(Random r) {
    List<String> fields = new ArrayList<>();
    fields.add("\"v\":1");
    fields.add("\"node\":\"web" + r.nextInt(10) + "\"");
    fields.add("\"agent\":\"custos-agent/0.1.0\"");
    fields.add("\"seq\":" + r.nextInt(1000));
    fields.add("\"sent\":1795783507907");
    fields.add("\"interval_s\":10");
    if (r.nextBoolean()) {
      fields.add("\"tags\":[\"web\",\"db\"]");
    }
    List<String> results = new ArrayList<>();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      List<String> metrics = new ArrayList<>();
      for (int j = 0, m = r.nextInt(4); j < m; j++) {
        metrics.add(
            "{\"name\":\"m_"
                + j
                + "\",\"labels\":{\"mount\":\"/"
                + j
                + "\",\"dev\":\"sda\"},\"value\":"
                + (r.nextBoolean() ? r.nextInt(100) : r.nextDouble() * 100)
                + ",\"unit\":\"%\",\"warn\":80,\"crit\":90.5,\"min\":0,\"max\":100}");
      }
      results.add(
          "{\"service\":\"svc "
              + i
              + "\",\"check\":\"filesystem\",\"status\":\""
              + Status.values()[r.nextInt(4)]
              + "\",\"output\":\"DISK OK\",\"long_output\":\"a\\nb\",\"time\":1795783507801,"
              + "\"metrics\":["
              + String.join(",", metrics)
              + "]}");
    }
    fields.add("\"results\":[" + String.join(",", results) + "]");
    if (r.nextBoolean()) {
      fields.add(
          "\"backups\":[{\"set\":\"www\",\"level\":\"full\",\"archive\":\"a.tar\",\"result\":\"OK\","
              + "\"bytes\":261711066,\"files\":78020,\"started\":1795741200000,"
              + "\"finished\":1795741218520,\"message\":\"\"}]");
    }
    if (r.nextInt(3) == 0) {
      java.util.Collections.shuffle(fields, r);
    }
    return "{" + String.join(",", fields) + "}";
  }

  /**
   * Replaces one to three values (after a {@code "key":}) by an odd value, drops or duplicates a
   * field, or cuts the text short.
   */
  private static String mutate(String json, Random r) {
    int kind = r.nextInt(10);
    if (kind < 2) {
      return json;
    }
    if (kind == 2) {
      return json.substring(0, r.nextInt(json.length()));
    }
    List<Integer> colons = new ArrayList<>();
    for (int i = json.indexOf("\":"); i >= 0; i = json.indexOf("\":", i + 1)) {
      colons.add(i + 2);
    }
    String out = json;
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      colons.clear();
      for (int i = out.indexOf("\":"); i >= 0; i = out.indexOf("\":", i + 1)) {
        colons.add(i + 2);
      }
      int at = colons.get(r.nextInt(colons.size()));
      int end = valueEnd(out, at);
      int keyStart = out.lastIndexOf('"', out.lastIndexOf('"', at - 2) - 1);
      String field = out.substring(keyStart, end);
      out =
          switch (kind) {
            case 3 ->
                out.substring(0, at)
                    + out.substring(at, end)
                    + ",\"zz\":{\"a\":[1]}"
                    + out.substring(end);
            case 4 -> out.substring(0, end) + "," + field + out.substring(end);
            case 5 -> {
              String odd = ODD_VALUES[r.nextInt(ODD_VALUES.length)];
              yield out.substring(0, end)
                  + ","
                  + out.substring(keyStart, at)
                  + odd
                  + out.substring(end);
            }
            case 6 -> {
              // drop the field with its comma, if it has one before it
              int from = out.charAt(keyStart - 1) == ',' ? keyStart - 1 : keyStart;
              int to = from == keyStart && out.charAt(end) == ',' ? end + 1 : end;
              yield out.substring(0, from) + out.substring(to);
            }
            default ->
                out.substring(0, at)
                    + ODD_VALUES[r.nextInt(ODD_VALUES.length)]
                    + out.substring(end);
          };
    }
    return out;
  }

  /** Index just past the JSON value starting at {@code from} (strings, numbers, nesting). */
  private static int valueEnd(String s, int from) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return s.length();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
