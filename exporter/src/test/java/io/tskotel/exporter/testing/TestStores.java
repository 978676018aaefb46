package io.tskotel.exporter.testing;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Stores over the shared test engine, each on a database of its own. */
public final class TestStores {
  private TestStores() {}

  /** A migrated store on a fresh database named after {@code owner}. */
  public static ClickHouseStore newStore(Class<?> owner) throws StoreException {
    return newStore(owner, b -> {});
  }

  /**
   * TTL 0 for every signal. Fixtures carry literal dates ({@code OtlpFixtures.T0}): under a TTL their rows
   * vanish once the date is old enough, so test stores keep data forever unless a test sets a TTL itself.
   */
  public static StoreConfig.Builder keepForever(StoreConfig.Builder b) {
    for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
      b.ttl(signal, Duration.ZERO);
    }
    return b;
  }

  public static ClickHouseStore newStore(Class<?> owner, Consumer<StoreConfig.Builder> customize)
      throws StoreException {
    StoreConfig.Builder b = keepForever(StoreConfig.builder())
        .database(ChdbTestEngine.newDatabase(owner))
        .dataPath(ChdbTestEngine.dataPath());
    customize.accept(b);
    return ClickHouseStore.create(b.build(), NonClosingEngine.shared());
  }
}
