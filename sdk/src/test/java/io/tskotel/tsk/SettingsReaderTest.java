package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {
  private static Tsk tsk(String text) {
    return Tsk.parser().sourceName("app.tsk").build().parse(text);
  }

  @Test
  void get_badValues_everyOneCollectedWithItsPositionAndDefaultsKept() {
    SettingsReader r = new SettingsReader(tsk("[server]\nport: \"x\"\ntimeout: 5\nsize: \"lots\"\nmode: \"fast\"\n"));
    SettingsReader.Section s = r.section("server");

    assertThat(s.get("port", ValueType.INT, 80)).isEqualTo(80);
    assertThat(s.get("timeout", ValueType.DURATION, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.get("size", ValueType.BYTES, 1L)).isEqualTo(1L);
    assertThat(s.get("mode", ValueType.oneOf("slow", "safe"), "safe")).isEqualTo("safe");
    assertThat(r.errors()).containsExactly(
        "app.tsk:2:1: server.port: a string (expected: an int)",
        "app.tsk:3:1: server.timeout: an int (expected: a duration such as \"250ms\", \"30s\", \"5m\", \"1h\" or"
            + " \"7d\")",
        "app.tsk:4:1: server.size: \"lots\" (expected: a size such as 16MiB, 1GiB or a byte count)",
        "app.tsk:5:1: server.mode: \"fast\" (expected: one of slow, safe)");
  }

  @Test
  void get_presentAndMissing_valueOrDefault() {
    SettingsReader r = new SettingsReader(tsk("[server]\nport: 8080\nsize: \"16MiB\"\nhosts: [\"a\", \"b\"]\n"));
    SettingsReader.Section s = r.section("server");

    assertThat(s.get("port", ValueType.INT, 80)).isEqualTo(8080);
    assertThat(s.get("size", ValueType.BYTES, 0L)).isEqualTo(16L << 20);
    assertThat(s.get("hosts", ValueType.STRINGS)).containsExactly("a", "b");
    assertThat(s.get("host", ValueType.STRING, "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(s.get("missing", ValueType.STRING)).isNull();
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void get_failingCheck_errorAndDefault() {
    SettingsReader r = new SettingsReader(tsk("[server]\nport: 70000\n"));

    int port = r.section("server").get("port", ValueType.INT, 80, p -> p <= 65535, "0..65535");

    assertThat(port).isEqualTo(80);
    assertThat(r.errors()).containsExactly("app.tsk:2:1: server.port: 70000 (expected: 0..65535)");
  }

  @Test
  void unknownKeys_inEverySectionRead_fujsenAndUnreadSectionsLeftAlone() {
    SettingsReader r = new SettingsReader(tsk(
        "[server]\nport: 1\nprot: 2\nreload_fujsen = '''pass'''\n[client]\nretries: 3\ncolour: \"red\"\n"
            + "[app]\nanything: 1\n"));
    r.section("server").get("port", ValueType.INT, 0);
    r.section("client").get("retries", ValueType.INT, 0);

    assertThat(r.unknownKeys()).containsExactly(
        "app.tsk:3:1: [server] prot: unknown key (expected one of: port)",
        "app.tsk:7:1: [client] colour: unknown key (expected one of: retries)");
    assertThatThrownBy(r::requireValid)
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("invalid configuration app.tsk:\n  app.tsk:3:1: [server] prot")
        .satisfies(e -> assertThat(((SettingsException) e).errors()).hasSize(2));
  }

  @Test
  void tables_namedSubsectionsReadAsSections_areKnown() {
    SettingsReader r = new SettingsReader(tsk(
        "[alerting]\nenabled: true\n[alerting.rules.cpu]\nthreshold: 80\n[alerting.rules.mem]\nthreshold: 85\nx: 1\n"));
    SettingsReader.Section alerting = r.section("alerting");
    alerting.get("enabled", ValueType.BOOLEAN, false);
    List<Integer> thresholds = new ArrayList<>();
    for (String rule : alerting.tables("rules")) {
      thresholds.add(r.section("alerting.rules." + rule).get("threshold", ValueType.INT, 0));
    }

    assertThat(thresholds).containsExactly(80, 85);
    assertThat(r.problems()).containsExactly(
        "app.tsk:7:1: [alerting.rules.mem] x: unknown key (expected one of: threshold)");
  }

  @Test
  void moved_setAtTheOldPlace_saysWhereItLivesNow() {
    SettingsReader r = new SettingsReader(tsk("[collector]\nadmin_port: 0\n"));

    r.section("collector").moved("admin_port", "[admin] port");

    assertThat(r.problems()).containsExactly("app.tsk:2:1: collector.admin_port: moved to [admin] port");
  }

  @Test
  void readOnly_throwsOnBadValues_leavesUnknownKeysToTheWholeDocument() {
    Tsk tsk = Tsk.parser().environment(Map.of("PORT", "oops")).sourceName("app.tsk").build()
        .parse("[server]\nport: @env(\"PORT\", \"80\")\nother: 1\n");

    assertThatThrownBy(() -> SettingsReader.readOnly(tsk, r -> r.section("server").get("port", ValueType.INT, 80)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("app.tsk:2:1: server.port: a string (expected: an int)")
        .hasMessageNotContaining("other");
    int other = SettingsReader.readOnly(tsk, r -> r.section("server").get("other", ValueType.INT, 0));
    assertThat(other).isEqualTo(1);
  }
}
