package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code parse(print(x))} equals {@code x}, and the printed form is canonical. */
class TskRoundTripTest {
  private static final String RICH =
      "$region: \"eu\"\n"
          + "$limits: { max: 10, tags: [\"a\"] }\n"
          + "top: 1\n"
          + "[collector]\n"
          + "host: @env(\"HOST\", \"localhost\")\n"
          + "port: @env(\"PORT\", 80)\n"
          + "region: $region\n"
          + "limits: $limits\n"
          + "big: -9000000000\n"
          + "ratio: -2.5e-7\n"
          + "huge: 1.0E10\n"
          + "none: null\n"
          + "flags: [true, false, null, [], {}, [1, [2, { deep: \"x\" }]]]\n"
          + "escaped: \"tab\\t cr\\r quote\\\" back\\\\ ctl\\u0001\"\n"
          + "multi: '''\nline 1\n  \"\"\"quoted\"\"\"\n'''\n"
          + "both: \"\"\"\nhas ''' inside\n\"\"\"\n"
          + "ends_quote: \"a\\nb'\"\n"
          + "all_quotes: \"x'''\\ny\\\"\\\"\\\"\"\n"
          + "cr_multi: \"a\\r\\nb\"\n"
          + "count: @metric(\"counter\", \"requests_total\")\n"
          + "lat: @metric(\"histogram\", \"latency\", \"s\", \"Request \\\"latency\\\"\")\n"
          + "desc_only: @metric(\"gauge\", \"g\", \"\", \"only a description\")\n"
          + "receivers {\n"
          + "  otlp > grpc: 4317 <\n"
          + "  empty {\n"
          + "  }\n"
          + "}\n"
          + "dotted.key.path: 3\n"
          + "check_fujsen: '''\ndef check():\n    return True\n'''\n"
          + "[collector.queue]\n"
          + "dir: \"/tmp/q\"\n"
          + "[a.b.c]\n"
          + "x: 1\n"
          + "[empty]\n";

  private static Tsk parse(String text) {
    return Tsk.parser().environment(Map.of("HOST", "h1", "PORT", "4317")).build().parse(text);
  }

  private static void assertRoundTrips(Tsk tsk) {
    String printed = tsk.toString();
    Tsk reparsed = parse(printed);
    assertThat(reparsed).as(printed).isEqualTo(tsk);
    assertThat(reparsed.hashCode()).isEqualTo(tsk.hashCode());
    assertThat(reparsed.toString()).as("printing is idempotent").isEqualTo(printed);
    assertThat(reparsed.sections()).containsExactlyInAnyOrderElementsOf(tsk.sections());
    assertThat(reparsed.instruments()).containsExactlyInAnyOrderElementsOf(tsk.instruments());
  }

  @Test
  void everyKindOfValue_roundTrips() {
    Tsk tsk = parse(RICH);
    assertThat(tsk.getString("collector.host")).isEqualTo("h1");
    assertThat(tsk.get("collector.port")).isEqualTo(4317);
    assertRoundTrips(tsk);
  }

  @Test
  void seedFixtures_roundTrip() throws Exception {
    for (String name :
        List.of("metrics", "business_metrics", "logging", "tracing", "health_checks", "alerting", "dashboard")) {
      assertRoundTrips(parse(Files.readString(SeedFixturesTest.fixture(name))));
    }
  }

  @Test
  void equals_seesEveryDifference() {
    Tsk base = parse("[s]\na: 1\nb: [1, 2]\n");
    assertThat(parse("[s]\nb: [1, 2]\na: 1\n")).as("key order does not matter").isEqualTo(base);
    assertThat(parse("[s]\na: 2\nb: [1, 2]\n")).isNotEqualTo(base);
    assertThat(parse("[s]\na: 1.0\nb: [1, 2]\n")).as("int vs double").isNotEqualTo(base);
    assertThat(parse("[s]\na: 1\nb: [2, 1]\n")).as("array order matters").isNotEqualTo(base);
    assertThat(parse("s { a: 1, b: [1, 2] }\n")).as("a block is not a section").isNotEqualTo(base);
    assertThat(parse("$v: 1\n[s]\na: 1\nb: [1, 2]\n")).as("variables count").isNotEqualTo(base);
  }

  /**
   * Random edits of the seed fixtures: each result is either a parse error whose positions lie in the
   * text, or a document that round-trips. Nothing else (no other exception, no hang).
   */
  @Test
  void mutatedFixtures_eitherFailCleanlyOrRoundTrip() throws Exception {
    Random random = new Random(20250304L);
    String alphabet = "[]{}()<>:=,\"'#/$@\n \\.-0123456789abcxyz_";
    int parsed = 0;
    int failed = 0;
    List<String> corpus = new java.util.ArrayList<>();
    for (String name :
        List.of("metrics", "business_metrics", "logging", "tracing", "health_checks", "alerting", "dashboard")) {
      corpus.add(Files.readString(SeedFixturesTest.fixture(name)));
    }
    for (int i = 0; i < 7; i++) {
      corpus.add(RICH); // dense in syntax, so most edits hit structure rather than a fujsen body
    }
    for (String original : corpus) {
      for (int round = 0; round < 150; round++) {
        StringBuilder text = new StringBuilder(original);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
          int at = random.nextInt(text.length());
          if (random.nextBoolean()) {
            text.deleteCharAt(at);
          } else {
            text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          }
        }
        String mutated = text.toString();
        int lines = mutated.split("\n", -1).length;
        try {
          Tsk tsk = parse(mutated);
          assertRoundTrips(tsk);
          parsed++;
        } catch (TskParseException e) {
          failed++;
          assertThat(e.errors())
              .allSatisfy(
                  error -> {
                    assertThat(error.line()).isBetween(1, lines);
                    assertThat(error.column()).isBetween(1, error.lineText().length() + 1);
                  });
        }
      }
    }
    assertThat(parsed).isPositive();
    assertThat(failed).isPositive();
  }
}
