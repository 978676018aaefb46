package io.tskotel.exporter.testing;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Stores over the shared test engine, each on a database of its own. */
public final class TestStores {
  // Every store made here, closed ones too: RetentionGuard reads their expired-on-arrival counts.
  private static final List<ClickHouseStore> created = new CopyOnWriteArrayList<>();

  private TestStores() {}

  /** A migrated store on a fresh database named after {@code owner}. */
  public static ClickHouseStore newStore(Class<?> owner) throws StoreException {
    return newStore(owner, b -> {});
  }

  public static ClickHouseStore newStore(Class<?> owner, Consumer<StoreConfig.Builder> customize)
      throws StoreException {
    StoreConfig.Builder b = StoreConfig.builder()
        .database(ChdbTestEngine.newDatabase(owner))
        .dataPath(ChdbTestEngine.dataPath());
    customize.accept(b);
    ClickHouseStore store = ClickHouseStore.create(b.build(), NonClosingEngine.shared());
    created.add(store);
    return store;
  }

  /** Rows written so far through stores of this class that were older than their table's TTL. */
  public static long expiredOnArrival() {
    long n = 0;
    for (ClickHouseStore s : created) {
      for (var e : s.stats().entrySet()) {
        if (e.getKey().startsWith("expired_on_arrival.")) {
          n += e.getValue();
        }
      }
    }
    return n;
  }
}
