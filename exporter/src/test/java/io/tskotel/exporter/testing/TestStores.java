package io.tskotel.exporter.testing;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.util.function.Consumer;

/** Stores over the shared test engine, each on a database of its own. */
public final class TestStores {
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
    return ClickHouseStore.create(b.build(), NonClosingEngine.shared());
  }
}
