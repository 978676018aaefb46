package io.tskotel.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.tsk.SettingsException;
import io.tskotel.tsk.Tsk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseHttpConfigTest {
  private static Tsk tsk(String text, Map<String, String> env) {
    return Tsk.parser().environment(env).sourceName("c.tsk").build().parse(text);
  }

  @Test
  void defaults_offLoopback8123() {
    ClickHouseHttpConfig c = ClickHouseHttpConfig.fromTsk(tsk("[collector]\ngrpc_port: 4317\n", Map.of()));
    assertThat(c.enabled()).isFalse();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8123);
    assertThat(c.validate()).isEmpty();
    assertThat(ClickHouseHttpComponent.fromTsk(tsk("", Map.of()))).isEmpty();
  }

  @Test
  void fromTsk_passwordsThroughEnv_writerOnlyWhenBothSet_neverPrinted() {
    String text = """
        [clickhouse_http]
        enabled: true
        readonly_user: "grafana"
        readonly_password: @env("RO_PW", "")
        writer_user: "collector_b"
        writer_password: @env("W_PW", "")
        """;
    ClickHouseHttpConfig both = ClickHouseHttpConfig.fromTsk(tsk(text, Map.of("RO_PW", "s3cret-ro", "W_PW", "s3cret-w")));
    assertThat(both.readonlyPassword()).isEqualTo("s3cret-ro");
    assertThat(both.hasWriter()).isTrue();
    assertThat(both.writerUser()).isEqualTo("collector_b");
    assertThat(both.toString()).doesNotContain("s3cret");
    ClickHouseHttpConfig noWriter = ClickHouseHttpConfig.fromTsk(tsk(text, Map.of("RO_PW", "s3cret-ro")));
    assertThat(noWriter.hasWriter()).isFalse();
    assertThat(noWriter.writerHalfSet()).isTrue();
    assertThat(noWriter.writerPassword()).isNull();
  }

  @Test
  void validate_collectsEveryError() {
    ClickHouseHttpConfig c = ClickHouseHttpConfig.builder().enabled(true).host(" ").port(70000)
        .readonlyUser("").writerUser("bad name").writerPassword("x").build();
    assertThat(c.validate()).containsExactly(
        "host: \"\" (expected: an address such as 127.0.0.1)",
        "port: 70000 (expected: 0..65535, 0 = any free port)",
        "readonly_user: \"\" (expected: a user name; the endpoint always requires a login)",
        "readonly_password: empty (expected: a password, e.g. @env(\"TSKOTEL_CH_READONLY_PASSWORD\", \"\"))",
        "writer_user: \"bad name\" (expected: letters, digits, _ . -)");
  }

  @Test
  void collectorSettings_wrongTypesUnknownKeysAndMissingPassword_allReportedWithPositions() {
    assertThatThrownBy(() -> CollectorSettings.from(tsk("""
        [clickhouse_http]
        enabled: true
        port: "x"
        readonly_user: "grafana"
        passwrd: "oops"
        """, Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("c.tsk:3:")
        .hasMessageContaining("c.tsk:5:1: [clickhouse_http] passwrd: unknown key")
        .hasMessageContaining("[clickhouse_http] readonly_password: empty")
        .hasMessageNotContaining("oops");
  }
}
