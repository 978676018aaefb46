package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FujsenTest {
  private static final String ALERTING =
      "[alerting]\ncpu_threshold: 80\n"
          + "check_alerts_fujsen = '''\ndef check_alerts():\n    return []\n'''\n"
          + "send_alert_fujsen = '''\ndef send_alert(alert):\n    return alert\n'''\n";

  @Test
  void fujsen_listsNamesAndBodies() {
    Tsk tsk = Tsk.parse(ALERTING);
    assertThat(tsk.fujsen("alerting"))
        .containsExactly(
            Map.entry("check_alerts", "def check_alerts():\n    return []\n"),
            Map.entry("send_alert", "def send_alert(alert):\n    return alert\n"));
    assertThat(tsk.fujsen("nope")).isEmpty();
  }

  @Test
  void executeFujsen_dispatchesToTheRegisteredFunction() {
    List<FujsenCall> calls = new ArrayList<>();
    FujsenRegistry registry =
        new FujsenRegistry()
            .register(
                "check_alerts",
                call -> {
                  calls.add(call);
                  int threshold = call.config().getInt(call.section() + ".cpu_threshold");
                  return ((Integer) call.arg(0, 0)) > threshold ? List.of("high_cpu") : List.of();
                });
    Tsk tsk = Tsk.parser().fujsenRegistry(registry).build().parse(ALERTING);

    assertThat(tsk.executeFujsen("alerting", "check_alerts", 95)).isEqualTo(List.of("high_cpu"));
    assertThat(tsk.executeFujsen("alerting", "check_alerts", 10)).isEqualTo(List.of());
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).name()).isEqualTo("check_alerts");
    assertThat(calls.get(0).body()).startsWith("def check_alerts():");
    assertThat(calls.get(0).args()).containsExactly(95);
  }

  @Test
  void executeFujsen_passesNullArguments() {
    Tsk tsk = Tsk.parse(ALERTING);
    tsk.fujsenRegistry().register("send_alert", call -> call.args());
    assertThat(tsk.executeFujsen("alerting", "send_alert", "a", null)).isEqualTo(java.util.Arrays.asList("a", null));
  }

  @Test
  void executeFujsen_unregisteredNameListsTheRegisteredOnes() {
    Tsk tsk = Tsk.parse(ALERTING);
    assertThatThrownBy(() -> tsk.executeFujsen("alerting", "send_alert"))
        .isInstanceOf(FujsenException.class)
        .hasMessage("no Java function is registered for fujsen 'send_alert' of [alerting] (registered: none)");

    tsk.fujsenRegistry().register("check_alerts", call -> null).register("b_other", call -> null);
    assertThatThrownBy(() -> tsk.executeFujsen("alerting", "send_alert"))
        .hasMessage(
            "no Java function is registered for fujsen 'send_alert' of [alerting]"
                + " (registered: b_other, check_alerts)");
  }

  @Test
  void executeFujsen_undeclaredNameListsTheDeclaredOnes() {
    Tsk tsk = Tsk.parse(ALERTING);
    tsk.fujsenRegistry().register("collect_metrics", call -> null);
    assertThatThrownBy(() -> tsk.executeFujsen("alerting", "collect_metrics"))
        .isInstanceOf(FujsenException.class)
        .hasMessage("[alerting] declares no fujsen 'collect_metrics' (declared: check_alerts, send_alert)");
  }

  @Test
  void register_rejectsDuplicatesAndEmptyNames() {
    FujsenRegistry registry = new FujsenRegistry().register("f", call -> 1);
    assertThatThrownBy(() -> registry.register("f", call -> 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fujsen 'f' is already registered");
    assertThatThrownBy(() -> registry.register("", call -> 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.unregister("f")).isTrue();
    assertThat(registry.names()).isEmpty();
  }
}
