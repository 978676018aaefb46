package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** What parses, and what the getters make of it. */
class TskGrammarTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

  private static Tsk parse(String text) {
    return Tsk.parser().environment(Map.of()).clock(CLOCK).sourceName("g.tsk").build().parse(text);
  }

  @Test
  void comments_wholeLineAndTrailing() {
    Tsk tsk =
        parse(
            "# hash\n// slashes\n[s] # after header\na: 1 # trailing\nb: \"x # y // z\" // trailing\n");
    assertThat(tsk.keys("s")).containsExactly("a", "b");
    assertThat(tsk.getString("s.b")).isEqualTo("x # y // z");
  }

  @Test
  void sections_dottedHeadersNest() {
    Tsk tsk = parse("top: 1\n[a.b]\nx: 1\n[a]\ny: 2\n[c]\n");
    assertThat(tsk.sections()).containsExactly("a.b", "a", "c");
    assertThat(tsk.getInt("a.b.x")).isEqualTo(1);
    assertThat(tsk.getInt("a.y")).isEqualTo(2);
    assertThat(tsk.keys("a")).containsExactly("b", "y");
    assertThat(tsk.keys("")).containsExactly("top", "a", "c");
    assertThat(tsk.getSection("c")).isEmpty();
  }

  @Test
  void blocks_bothStylesAtAnyDepth() {
    Tsk tsk =
        parse(
            "[collector]\n"
                + "receivers {\n"
                + "  otlp >\n"
                + "    grpc {\n"
                + "      port: 4317\n"
                + "    }\n"
                + "    http > port: 4318 <\n"
                + "  <\n"
                + "}\n"
                + "single { a: 1, b: 2 }\n");
    assertThat(tsk.getInt("collector.receivers.otlp.grpc.port")).isEqualTo(4317);
    assertThat(tsk.getInt("collector.receivers.otlp.http.port")).isEqualTo(4318);
    assertThat(tsk.getSection("collector.single")).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
  }

  @Test
  void keyValue_colonOrEquals_andDottedKeys() {
    Tsk tsk = parse("[s]\na: 1\nb = 2\nc.d-e.f_g: 3\nc.d-e.h: 4\n");
    assertThat(tsk.getInt("s.a")).isEqualTo(1);
    assertThat(tsk.getInt("s.b")).isEqualTo(2);
    assertThat(tsk.getSection("s.c.d-e")).containsOnlyKeys("f_g", "h");
  }

  @Test
  void strings_escapesAndTripleQuotes() {
    Tsk tsk =
        parse(
            "a: \"tab\\t nl\\n quote\\\" apos\\' back\\\\ \\u00e9\"\n"
                + "b: 'single \"double\" inside'\n"
                + "c: '''\nline \"\"\" one\nline two\n'''\n"
                + "d: \"\"\"\n'''python'''\n\\n stays\n\"\"\"\n"
                + "e: '''inline'''\n");
    assertThat(tsk.getString("a")).isEqualTo("tab\t nl\n quote\" apos' back\\ é");
    assertThat(tsk.getString("b")).isEqualTo("single \"double\" inside");
    assertThat(tsk.getString("c")).isEqualTo("line \"\"\" one\nline two\n");
    assertThat(tsk.getString("d")).isEqualTo("'''python'''\n\\n stays\n");
    assertThat(tsk.getString("e")).isEqualTo("inline");
  }

  @Test
  void numbers_intsLongsFloatsWithExponent() {
    Tsk tsk = parse("a: 42\nb: -7\nc: 3000000000\nd: 2.5\ne: -1.5e3\nf: 1E-2\ng: 0.0\n");
    assertThat(tsk.get("a")).isEqualTo(42);
    assertThat(tsk.get("b")).isEqualTo(-7);
    assertThat(tsk.get("c")).isEqualTo(3_000_000_000L);
    assertThat(tsk.get("d")).isEqualTo(2.5);
    assertThat(tsk.get("e")).isEqualTo(-1500.0);
    assertThat(tsk.get("f")).isEqualTo(0.01);
    assertThat(tsk.get("g")).isEqualTo(0.0);
  }

  @Test
  void booleansAndNull() {
    Tsk tsk = parse("t: true\nf: false\nn: null\n");
    assertThat(tsk.get("t")).isEqualTo(true);
    assertThat(tsk.get("f")).isEqualTo(false);
    assertThat(tsk.has("n")).isTrue();
    assertThat(tsk.get("n")).isNull();
    assertThat(tsk.getString("n", "dflt")).isEqualTo("dflt");
    assertThat(tsk.has("missing")).isFalse();
  }

  @Test
  void arrays_spanLinesWithTrailingComma() {
    Tsk tsk = parse("ports: [\n  4317,\n  4318, # grpc, http\n]\nempty: []\nnested: [[1, 2], [\"a\"], null]\n");
    assertThat(tsk.getList("ports")).containsExactly(4317, 4318);
    assertThat(tsk.getList("empty")).isEmpty();
    assertThat(tsk.getList("nested")).containsExactly(List.of(1, 2), List.of("a"), null);
  }

  @Test
  void inlineObjects_oneLineAndMultiLine() {
    Tsk tsk =
        parse(
            "a: { k: 1, k2 = \"v\" }\n"
                + "b: {\n  x: [1, { y: true }]\n  z: {}\n}\n"
                + "list: [{ name: \"n1\" }, { name: \"n2\" },]\n");
    assertThat(tsk.getSection("a")).containsExactly(Map.entry("k", 1), Map.entry("k2", "v"));
    assertThat(tsk.getList("b.x")).containsExactly(1, Map.of("y", true));
    assertThat(tsk.getSection("b.z")).isEmpty();
    assertThat(tsk.getList("list")).containsExactly(Map.of("name", "n1"), Map.of("name", "n2"));
  }

  @Test
  void variables_definedAndReferenced() {
    Tsk tsk = parse("$host: \"db.local\"\n$ports: [1, 2]\n[db]\nhost: $host\nports: $ports\n$late = 3\nx: $late\n");
    assertThat(tsk.getString("db.host")).isEqualTo("db.local");
    assertThat(tsk.getList("db.ports")).containsExactly(1, 2);
    assertThat(tsk.getInt("db.x")).isEqualTo(3);
    assertThat(tsk.variables()).containsOnlyKeys("host", "ports", "late");
    assertThat(tsk.get("$host")).isEqualTo("db.local");
  }

  @Test
  void env_convertsToTheDefaultsType() {
    TskParser parser =
        Tsk.parser()
            .environment(Map.of("I", " 95 ", "L", "5000000000", "D", "1e-3", "B", "YES", "S", "text", "N", "x"))
            .build();
    Tsk tsk =
        parser.parse(
            "i: @env(\"I\", 80)\nl: @env(\"L\", 1)\nd: @env(\"D\", 0.5)\nb: @env(\"B\", false)\n"
                + "s: @env(\"S\", \"dflt\")\nn: @env(\"N\", null)\nnone: @env(\"UNSET\", null)\n"
                + "plain: @env(\"S\")\n");
    assertThat(tsk.get("i")).isEqualTo(95);
    assertThat(tsk.get("l")).isEqualTo(5_000_000_000L);
    assertThat(tsk.get("d")).isEqualTo(0.001);
    assertThat(tsk.get("b")).isEqualTo(true);
    assertThat(tsk.get("s")).isEqualTo("text");
    assertThat(tsk.get("n")).isEqualTo("x");
    assertThat(tsk.get("none")).isNull();
    assertThat(tsk.get("plain")).isEqualTo("text");
  }

  @Test
  void env_defaultsToTheRealEnvironmentWhenNotInjected() {
    // Reads (never writes) the process environment: PATH is set wherever the tests run.
    assertThat(Tsk.parse("p: @env(\"PATH\", \"none\")\n").getString("p")).isEqualTo(System.getenv("PATH"));
  }

  @Test
  void metric_withUnitAndDescription() {
    Tsk tsk =
        parse(
            "[m]\nlatency: @metric(\"histogram\", \"http.server.duration\", \"s\", \"Request latency\")\n"
                + "inflight: @metric(\"updowncounter\", \"inflight\")\n"
                + "srv { temp: @metric(\"gauge\", \"temp\", \"Cel\") }\n");
    assertThat(tsk.instruments())
        .containsExactly(
            new Instrument("m", "latency", InstrumentKind.HISTOGRAM, "http.server.duration", "s", "Request latency"),
            new Instrument("m", "inflight", InstrumentKind.UPDOWNCOUNTER, "inflight", "", ""),
            new Instrument("m.srv", "temp", InstrumentKind.GAUGE, "temp", "Cel", ""));
    assertThat(tsk.instruments().get(2).path()).isEqualTo("m.srv.temp");
  }

  @Test
  void date_formatsTheInjectedClock() {
    Tsk tsk = parse("day: @date(\"yyyy-MM-dd\")\nstamp: @date()\n");
    assertThat(tsk.getString("day")).isEqualTo("2025-03-04");
    assertThat(tsk.getString("stamp")).isEqualTo("2025-03-04T05:06:07Z");

    Tsk paris =
        Tsk.parser()
            .clock(CLOCK.withZone(ZoneId.of("Europe/Paris")))
            .build()
            .parse("t: @date(\"HH:mm\")\n");
    assertThat(paris.getString("t")).isEqualTo("06:06");
  }

  @Test
  void typedGetters_defaultsAndWidening() {
    Tsk tsk = parse("[s]\ni: 5\nl: 5000000000\nd: 2.0\nb: true\nstr: \"x\"\n");
    assertThat(tsk.getInt("s.i")).isEqualTo(5);
    assertThat(tsk.getLong("s.i")).isEqualTo(5L);
    assertThat(tsk.getLong("s.l")).isEqualTo(5_000_000_000L);
    assertThat(tsk.getDouble("s.i")).isEqualTo(5.0);
    assertThat(tsk.getDouble("s.d")).isEqualTo(2.0);
    assertThat(tsk.getBoolean("s.b")).isTrue();
    assertThat(tsk.getInt("s.missing", 7)).isEqualTo(7);
    assertThat(tsk.getLong("nope.missing", 8L)).isEqualTo(8L);
    assertThat(tsk.getDouble("s.missing", 1.5)).isEqualTo(1.5);
    assertThat(tsk.getBoolean("s.missing", true)).isTrue();
    assertThat(tsk.getString("s.missing", "d")).isEqualTo("d");
    assertThat(tsk.getList("s.missing", List.of())).isEmpty();
    assertThat(tsk.getSection("s.missing", Map.of())).isEmpty();
    assertThat(tsk.keys("s.missing")).isEmpty();
  }

  @Test
  void typedGetters_wrongTypeNamesPathPositionAndExpectation() {
    Tsk tsk = parse("[s]\nd: 2.0\nl: 5000000000\nstr: \"secret\"\n");
    assertThatThrownBy(() -> tsk.getInt("s.d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("g.tsk:2:1: s.d: a double (expected: an int)");
    assertThatThrownBy(() -> tsk.getInt("s.l"))
        .hasMessage("g.tsk:3:1: s.l: an integer beyond the int range (expected: an int)");
    assertThatThrownBy(() -> tsk.getBoolean("s.str", false))
        .hasMessage("g.tsk:4:1: s.str: a string (expected: a boolean)")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> tsk.getSection("s.d")).hasMessageContaining("(expected: a section)");
    assertThatThrownBy(() -> tsk.getString("s.missing"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("g.tsk: s.missing: not set");
  }

  @Test
  void location_namesFileLineAndColumnOfTheDefinition() {
    Tsk tsk = parse("[s]\n  a: 1\nb { c: 2 }\n$v: 3\n");
    assertThat(tsk.location("s.a")).isEqualTo("g.tsk:2:3");
    assertThat(tsk.location("s.b.c")).isEqualTo("g.tsk:3:5");
    assertThat(tsk.location("$v")).isEqualTo("g.tsk:4:1");
    assertThat(tsk.location("s.missing")).isEqualTo("g.tsk");
  }

  @Test
  void getDuration_units() {
    Tsk tsk =
        parse("a: \"250ms\"\nb: \"30s\"\nc: \"5m\"\nd: \"1h\"\ne: \"7d\"\nf: \"1h30m\"\nbad: \"30 s\"\nnum: 30\n");
    assertThat(tsk.getDuration("a")).isEqualTo(Duration.ofMillis(250));
    assertThat(tsk.getDuration("b")).isEqualTo(Duration.ofSeconds(30));
    assertThat(tsk.getDuration("c")).isEqualTo(Duration.ofMinutes(5));
    assertThat(tsk.getDuration("d")).isEqualTo(Duration.ofHours(1));
    assertThat(tsk.getDuration("e")).isEqualTo(Duration.ofDays(7));
    assertThat(tsk.getDuration("f")).isEqualTo(Duration.ofMinutes(90));
    assertThat(tsk.getDuration("missing", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> tsk.getDuration("bad")).hasMessageContaining("g.tsk:7:1: bad: a string (expected: a duration");
    assertThatThrownBy(() -> tsk.getDuration("num")).hasMessageContaining("num: an int (expected: a duration");
  }

  @Test
  void getDuration_rejectsWhatIsNotExactlyDigitsAndUnits() {
    Tsk tsk =
        parse(
            "zero: \"0s\"\nmixed: \"1d2h3m4s5ms\"\nempty: \"\"\nno_unit: \"1h30\"\nupper: \"5M\"\n"
                + "negative: \"-5s\"\nspace: \" 5s\"\nfraction: \"1.5h\"\nhuge: \"9223372036854775807d\"\n"
                + "unknown_unit: \"5w\"\n");
    assertThat(tsk.getDuration("zero")).isEqualTo(Duration.ZERO);
    assertThat(tsk.getDuration("mixed"))
        .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
    for (String bad : List.of("empty", "no_unit", "upper", "negative", "space", "fraction", "huge", "unknown_unit")) {
      assertThatThrownBy(() -> tsk.getDuration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad + ": a string (expected: a duration");
    }
  }

  @Test
  void rawValuesAreImmutable() {
    Tsk tsk = parse("[s]\nlist: [1]\nobj: { a: 1 }\n");
    assertThatThrownBy(() -> tsk.getList("s.list").add(2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tsk.getSection("s").put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tsk.getSection("s.obj").clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void crlfLineEndsAndByteOrderMark() {
    Tsk tsk = parse("\uFEFF[s]\r\na: 1\r\nbody: '''\r\nx\r\ny\r\n'''\r\n");
    assertThat(tsk.getInt("s.a")).isEqualTo(1);
    assertThat(tsk.getString("s.body")).isEqualTo("x\ny\n");
    assertThat(Arrays.asList(tsk.sections().toArray())).containsExactly("s");
  }
}
