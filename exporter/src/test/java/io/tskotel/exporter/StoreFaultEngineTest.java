package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.NonClosingEngine;
import io.tskotel.exporter.testing.OtlpFixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded engine's real errors, sorted by what they mean for the data a write carried. */
class StoreFaultEngineTest {

  @Test
  void write_missingDatabase_isTheStoresFaultNotTheData() throws StoreException {
    String database = ChdbTestEngine.newDatabase(StoreFaultEngineTest.class);
    ChdbTestEngine.dropDatabase(database);
    StoreConfig config = StoreConfig.builder().database(database).migrateOnStart(false).build();
    ClickHouseStore store = ClickHouseStore.create(config, NonClosingEngine.shared());
    try {
      assertThatThrownBy(() -> store.writeLogs(List.of(OtlpFixtures.logs("svc", OtlpFixtures.log(Instant.now(), "x")))))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.fault()).isEqualTo(StoreException.Fault.STORE);
            assertThat(e.reason()).isIn("database missing", "table missing");
          });
    } finally {
      store.close();
    }
  }
}
