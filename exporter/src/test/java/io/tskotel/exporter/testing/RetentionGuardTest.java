package io.tskotel.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The guard fails a test whose literal-dated fixture reaches a table with a TTL, and only such a test. */
@StoresExpiredRows // its own tests store expired rows on purpose, and the test kit runs inside them
class RetentionGuardTest {

  @Test
  void literalDatedFixture_intoTtlTable_failsTheTest() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(Fixtures.class))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("literalDate_ttlTable"), finishedWithFailure(
            instanceOf(AssertionError.class), message(m -> m.contains("stored 1 rows older than their table's TTL")))))
        .haveExactly(1, event(test("literalDate_noTtl"), finishedSuccessfully()))
        .haveExactly(1, event(test("fromNow_ttlTable"), finishedSuccessfully()));
  }

  @Test
  void expiredOnArrival_countedPerSignal() throws Exception {
    try (ClickHouseStore store = TestStores.newStore(RetentionGuardTest.class, b -> b.ttl("logs", Duration.ofDays(2)))) {
      store.writeLogs(List.of(OtlpFixtures.logs("guard",
          OtlpFixtures.log(Instant.now().minus(Duration.ofDays(3)), "old"),
          OtlpFixtures.log(Instant.now(), "new"))));
      assertThat(store.stats()).containsEntry("expired_on_arrival.logs", 1L)
          .containsEntry("expired_on_arrival.traces", 0L);
    }
  }

  /** Run only through the test kit above (nested: surefire does not pick it up on its own). */
  static class Fixtures {
    private static final Instant LITERAL = Instant.parse("2020-11-20T10:15:30Z");

    @Test
    void literalDate_ttlTable() throws Exception {
      try (ClickHouseStore store = TestStores.newStore(Fixtures.class)) {
        store.writeLogs(List.of(OtlpFixtures.logs("guard", OtlpFixtures.log(LITERAL, "dropped"))));
      }
    }

    @Test
    void literalDate_noTtl() throws Exception {
      try (ClickHouseStore store = TestStores.newStore(Fixtures.class, b -> b.ttl("logs", Duration.ZERO))) {
        store.writeLogs(List.of(OtlpFixtures.logs("guard", OtlpFixtures.log(LITERAL, "kept"))));
      }
    }

    @Test
    void fromNow_ttlTable() throws Exception {
      try (ClickHouseStore store = TestStores.newStore(Fixtures.class)) {
        store.writeLogs(List.of(OtlpFixtures.logs("guard", OtlpFixtures.log(OtlpFixtures.T0, "kept"))));
      }
    }
  }
}
