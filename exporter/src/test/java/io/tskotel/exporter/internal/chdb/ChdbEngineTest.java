package io.tskotel.exporter.internal.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.RowBinaryBytes;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChdbEngineTest {
  private static final Instant T = Instant.parse("2024-05-06T07:08:09.123456789Z");

  private static ChdbEngine engine;
  private static String db;

  @BeforeAll
  static void setUp() throws StoreException {
    engine = ChdbTestEngine.shared();
    db = ChdbTestEngine.newDatabase(ChdbEngineTest.class);
  }

  @AfterAll
  static void tearDown() {
    ChdbTestEngine.dropDatabase(db);
  }

  private static void createSpans(String table) throws StoreException {
    engine.execute(
        "CREATE TABLE {db:Identifier}.{t:Identifier} (Timestamp DateTime64(9), Name String,"
            + " Attributes Map(LowCardinality(String), String), Duration UInt64)"
            + " ENGINE = MergeTree ORDER BY Timestamp",
        Map.of("db", db, "t", table));
  }

  @Test
  void callsCpuNanos_statementsChargeTheCallersCpu() throws StoreException {
    long before = ChdbEngine.callsCpuNanos();

    for (int i = 0; i < 5; i++) {
      engine.query("SELECT sum(number) FROM numbers(100000)", Map.of());
    }

    // Parsing and planning at least run on the calling thread, inside the downcall.
    assertThat(ChdbEngine.callsCpuNanos()).isGreaterThan(before);
  }

  private static long count(String table) throws StoreException {
    return (Long)
        engine
            .query("SELECT count() FROM {db:Identifier}.{t:Identifier}", Map.of("db", db, "t", table))
            .rows()
            .get(0)
            .get(0);
  }

  @Test
  void query_selectsConstant() throws StoreException {
    QueryResult result = engine.query("SELECT 1 AS one, 'x' AS s", Map.of());

    assertThat(result.columnNames()).containsExactly("one", "s");
    assertThat(result.columnTypes()).containsExactly("UInt8", "String");
    assertThat(result.rows()).containsExactly(List.of(1L, "x"));
  }

  @Test
  void execute_ddlCreatesTableVisibleInSystemTables() throws StoreException {
    createSpans("ddl");

    QueryResult columns =
        engine.query(
            "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'ddl'"
                + " ORDER BY position",
            Map.of("db", db));

    assertThat(columns.rows())
        .containsExactly(
            List.of("Timestamp", "DateTime64(9)"),
            List.of("Name", "String"),
            List.of("Attributes", "Map(LowCardinality(String), String)"),
            List.of("Duration", "UInt64"));
  }

  @Test
  void insertRowBinary_rowsReadBack() throws StoreException {
    createSpans("spans");
    RowBinaryBytes rows = new RowBinaryBytes();
    rows.dateTime64Nanos(T).string("GET /").stringMap("a", "1", "b", "2").int64(42);
    rows.dateTime64Nanos(T.plusNanos(1)).string("").stringMap().int64(-1);
    byte[] bytes = rows.toByteArray();

    engine.insertRowBinary(
        "INSERT INTO " + db + ".spans (Timestamp, Name, Attributes, Duration)", bytes, bytes.length, 2);

    QueryResult result =
        engine.query(
            "SELECT Timestamp, Name, Attributes, Duration FROM {db:Identifier}.spans ORDER BY Timestamp",
            Map.of("db", db));
    assertThat(result.rows())
        .containsExactly(
            List.of(T, "GET /", Map.of("a", "1", "b", "2"), 42L),
            List.of(T.plusNanos(1), "", Map.of(), new BigInteger("18446744073709551615")));
  }

  @Test
  void insertRowBinary_largerThanOneChunk() throws StoreException {
    createSpans("big");
    RowBinaryBytes rows = new RowBinaryBytes();
    String value = "v".repeat(10_000);
    int n = 500; // ~5 MB: several native chunks
    for (int i = 0; i < n; i++) {
      rows.dateTime64Nanos(T.plusNanos(i)).string("span-" + i).stringMap("k", value).int64(i);
    }
    byte[] bytes = rows.toByteArray();

    engine.insertRowBinary("INSERT INTO " + db + ".big", bytes, bytes.length, n);

    QueryResult result =
        engine.query(
            "SELECT count(), sum(Duration), sum(length(Attributes['k'])) FROM {db:Identifier}.big",
            Map.of("db", db));
    assertThat(result.rows()).containsExactly(List.of((long) n, (long) n * (n - 1) / 2, (long) n * 10_000));
  }

  private static void createNumbers(String table) throws StoreException {
    engine.execute("CREATE TABLE {db:Identifier}.{t:Identifier} (n UInt64, s String) ENGINE = MergeTree ORDER BY n",
        Map.of("db", db, "t", table));
    engine.execute("SYSTEM STOP MERGES {db:Identifier}.{t:Identifier}", Map.of("db", db, "t", table));
  }

  private static byte[] nativeNumbers(int from, int count) throws StoreException {
    return engine.queryFormatted("SELECT number AS n, toString(number) AS s FROM numbers({from:UInt64}, {count:UInt64})",
        Map.of("from", Integer.toString(from), "count", Integer.toString(count)), "Native", Map.of());
  }

  @Test
  void openNativeInsert_blocksOfOneInsertBecomeOnePart() throws StoreException {
    createNumbers("open_insert");
    String prefix = "INSERT INTO `" + db + "`.`open_insert` (`n`, `s`)";

    long written;
    try (SqlEngineBlockInsert open = new SqlEngineBlockInsert(engine.openNativeInsert(prefix))) {
      for (int b = 0; b < 3; b++) {
        byte[] block = nativeNumbers(b * 40_000, 40_000); // each larger than one 1 MiB stream chunk
        open.insert().append(block, block.length);
      }
      for (int b = 0; b < 30; b++) {
        byte[] block = nativeNumbers(120_000 + b * 100, 100); // small blocks
        open.insert().append(block, block.length);
      }
      written = open.insert().finish();
    }

    assertThat(written).isEqualTo(123_000);
    assertThat(engine.query("SELECT count(), uniqExact(n), uniqExact(_part) FROM {db:Identifier}.open_insert",
        Map.of("db", db)).rows()).containsExactly(List.of(123_000L, 123_000L, 1L));
  }

  @Test
  void openNativeInsert_closedUnfinished_writesNothingAndFreesTheConnection() throws StoreException {
    createNumbers("open_insert_cancelled");
    String prefix = "INSERT INTO `" + db + "`.`open_insert_cancelled` (`n`, `s`)";
    byte[] block = nativeNumbers(0, 1_000);

    // More than the pool's connections, each cancelled: a connection not given back would stall the next.
    for (int i = 0; i < 6; i++) {
      try (SqlEngineBlockInsert open = new SqlEngineBlockInsert(engine.openNativeInsert(prefix))) {
        open.insert().append(block, block.length);
        open.insert().append(block, block.length);
      }
    }

    assertThat(engine.query("SELECT count() FROM {db:Identifier}.open_insert_cancelled", Map.of("db", db)).rows())
        .containsExactly(List.of(0L));
  }

  /** Closes the insert however the test ends. */
  private record SqlEngineBlockInsert(io.tskotel.exporter.internal.engine.SqlEngine.BlockInsert insert)
      implements AutoCloseable {
    SqlEngineBlockInsert {
      assertThat(insert).as("chDB keeps an insert open").isNotNull();
    }

    @Override
    public void close() {
      insert.close();
    }
  }

  @Test
  void insertRowBinary_usesOnlyLengthBytes() throws StoreException {
    createSpans("prefix");
    RowBinaryBytes rows = new RowBinaryBytes();
    rows.dateTime64Nanos(T).string("kept").stringMap().int64(1);
    int length = rows.size();
    rows.raw(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}); // garbage past length, never sent
    byte[] bytes = rows.toByteArray();

    engine.insertRowBinary("INSERT INTO " + db + ".prefix", bytes, length, 1);

    assertThat(count("prefix")).isEqualTo(1);
  }

  @Test
  void insertRowBinary_malformedBytes_permanentAndEngineStillWorks() throws StoreException {
    createSpans("malformed");
    RowBinaryBytes rows = new RowBinaryBytes();
    rows.dateTime64Nanos(T).string("ok").stringMap().int64(1);
    rows.dateTime64Nanos(T).varUInt(1_000_000).raw("short".getBytes()); // a string cut short
    byte[] bytes = rows.toByteArray();

    assertThatThrownBy(
            () -> engine.insertRowBinary("INSERT INTO " + db + ".malformed", bytes, bytes.length, 2))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("Code:");

    assertThat(count("malformed")).isZero();
    RowBinaryBytes good = new RowBinaryBytes().dateTime64Nanos(T).string("after").stringMap().int64(2);
    byte[] goodBytes = good.toByteArray();
    engine.insertRowBinary("INSERT INTO " + db + ".malformed", goodBytes, goodBytes.length, 1);
    assertThat(count("malformed")).isEqualTo(1);
  }

  @Test
  void insertRowBinary_fewerRowsThanDeclared_isPermanent() throws StoreException {
    createSpans("short");
    byte[] bytes = new RowBinaryBytes().dateTime64Nanos(T).string("one").stringMap().int64(1).toByteArray();

    assertThatThrownBy(() -> engine.insertRowBinary("INSERT INTO " + db + ".short", bytes, bytes.length, 2))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("wrote 1 rows of the 2 sent");
  }

  @Test
  void insertRowBinary_unknownTable_isPermanent() {
    byte[] bytes = new byte[] {1};

    assertThatThrownBy(() -> engine.insertRowBinary("INSERT INTO " + db + ".missing", bytes, 1, 1))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("UNKNOWN_TABLE");
  }

  @Test
  void query_parameterIsDataNotSql() throws StoreException {
    createSpans("injection");
    String attack = "x'); DROP TABLE " + db + ".injection; SELECT ('";

    QueryResult result = engine.query("SELECT {s:String} AS s", Map.of("s", attack));
    engine.execute(
        "INSERT INTO {db:Identifier}.injection (Name) VALUES ({s:String})", Map.of("db", db, "s", attack));

    assertThat(result.rows()).containsExactly(List.of(attack));
    assertThat(
            engine
                .query("SELECT Name FROM {db:Identifier}.injection", Map.of("db", db))
                .rows())
        .containsExactly(List.of(attack));
  }

  @Test
  void query_typedParameters() throws StoreException {
    QueryResult result =
        engine.query(
            "SELECT {n:UInt64} + 1 AS n, {a:Array(String)} AS a, {m:Map(String, UInt8)} AS m,"
                + " {t:DateTime64(9, 'UTC')} AS t, {e:String} AS e",
            Map.of(
                "n", "18446744073709551614",
                "a", "['x', 'y\\'z']",
                "m", "{'k': 7}",
                "t", "2024-05-06 07:08:09.123456789",
                "e", ""));

    assertThat(result.rows())
        .containsExactly(
            List.of(new BigInteger("18446744073709551615"), List.of("x", "y'z"), Map.of("k", 7L), T, ""));
  }

  @Test
  void query_syntaxError_isPermanentWithEnginesMessage() {
    assertThatThrownBy(() -> engine.query("SELEC 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("SYNTAX_ERROR");
  }

  /** chDB would run both and glue their outputs together, which no reader can split. */
  @Test
  void query_script_isRefused() throws StoreException {
    createSpans("script");

    assertThatThrownBy(() -> engine.query("SELECT 1; SELECT 2", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("exactly one SQL statement, found 2");
    assertThatThrownBy(
            () -> engine.execute("SELECT 1; DROP TABLE {db:Identifier}.script", Map.of("db", db)))
        .hasMessageContaining("exactly one SQL statement, found 2");
    assertThatThrownBy(() -> engine.execute("", Map.of())).hasMessageContaining("found 0");
    assertThat(count("script")).isZero();
  }

  @Test
  void query_memoryLimit_isRetryable() {
    assertThatThrownBy(
            () ->
                engine.query(
                    "SELECT groupArray(number) FROM numbers(100000000) SETTINGS max_memory_usage = 10000000",
                    Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("MEMORY_LIMIT_EXCEEDED");
  }

  /**
   * chDB 26.7.3 prepends what a failed statement had written to the next statement's output on the same
   * connection; the connection must come back clean.
   */
  @Test
  void query_failureAfterOutputStarted_nextResultOnSameConnectionIsClean() throws StoreException {
    try (ChdbEngine single = ChdbEngine.builder().dataPath(engine.dataPath()).poolSize(1).build()) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(
                () ->
                    single.query(
                        "SELECT throwIf(number = 30000) FROM numbers(100000) SETTINGS max_block_size = 1000",
                        Map.of()))
            .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
            .hasMessageContaining("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO");

        QueryResult next = single.query("SELECT 'abc' AS s", Map.of());

        assertThat(next.columnNames()).containsExactly("s");
        assertThat(next.rows()).containsExactly(List.of("abc"));
      }
    }
  }

  @Test
  void connection_failureLeavesConnectionUsableAndNotBroken() throws StoreException {
    try (ChdbConnection connection = ChdbRuntime.connect(engine.dataPath(), Map.of())) {
      assertThatThrownBy(() -> connection.query("SELECT throwIf(number = 3) FROM numbers(10)", Map.of()))
          .isInstanceOf(StoreException.class);

      assertThat(connection.broken()).isFalse();
      assertThat(connection.queryBytes("SELECT 1 AS ok", "TSVWithNames", Map.of()))
          .asString()
          .isEqualTo("ok\n1\n");
    }
  }

  @Test
  void query_badParameterValue_isPermanent() {
    assertThatThrownBy(() -> engine.query("SELECT {n:UInt8} AS n", Map.of("n", "not a number")))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void query_missingParameter_isPermanent() {
    assertThatThrownBy(() -> engine.query("SELECT {n:UInt8} AS n", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("n");
  }

  @Test
  void query_unknownColumnAndTypeMismatch_arePermanent() throws StoreException {
    createSpans("errors");

    assertThatThrownBy(() -> engine.query("SELECT Nope FROM {db:Identifier}.errors", Map.of("db", db)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("UNKNOWN_IDENTIFIER");
    assertThatThrownBy(() -> engine.query("SELECT 'a' + 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void query_concurrentReadersOnSeveralConnections() throws Exception {
    // Connections of their own: after a stream insert, chDB answers currentQueryID() on that connection
    // with one fixed id, and other test classes in this JVM insert through the shared engine.
    ChdbEngine engine = ChdbEngine.builder().dataPath(ChdbTestEngine.dataPath()).poolSize(4).build();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Set<String> queryIds = ConcurrentHashMap.newKeySet();
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Long> sums = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    QueryResult r =
                        engine.query(
                            "SELECT sum(number + {o:UInt64}) AS s, toString(currentQueryID()) AS id"
                                + " FROM numbers(200000)",
                            Map.of("o", Integer.toString(offset)));
                    sums.add((Long) r.rows().get(0).get(0));
                    queryIds.add((String) r.rows().get(0).get(1));
                  }
                  return sums;
                }));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        long expected = 199999L * 200000 / 2 + 200000L * t;
        assertThat(futures.get(t).get()).hasSize(20).containsOnly(expected);
      }
      assertThat(queryIds).hasSize(threads * 20);
    } finally {
      pool.shutdownNow();
      engine.close();
    }
  }

  @Test
  void concurrentWritersAndReaders_seeOnlyWholeBatches() throws Exception {
    createSpans("concurrent");
    int writers = 3;
    int batches = 20;
    int batchSize = 100;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < batches; b++) {
                    RowBinaryBytes rows = new RowBinaryBytes();
                    for (int i = 0; i < batchSize; i++) {
                      rows.dateTime64Nanos(T.plusNanos(i)).string("w" + writer).stringMap("b", "" + b).int64(1);
                    }
                    byte[] bytes = rows.toByteArray();
                    engine.insertRowBinary("INSERT INTO " + db + ".concurrent", bytes, bytes.length, batchSize);
                  }
                  return null;
                }));
      }
      List<Future<List<Long>>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  List<Long> counts = new ArrayList<>();
                  for (int i = 0; i < 30; i++) {
                    counts.add(count("concurrent"));
                  }
                  return counts;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      for (Future<List<Long>> reader : readers) {
        // An insert is atomic: a reader never sees part of a batch.
        assertThat(reader.get()).allSatisfy(c -> assertThat(c % batchSize).isZero());
        assertThat(reader.get()).isSorted();
      }
      assertThat(count("concurrent")).isEqualTo((long) writers * batches * batchSize);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void build_secondDataPath_isRefused(@TempDir Path other) {
    assertThatThrownBy(() -> ChdbEngine.builder().dataPath(other).build())
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("one data path per process")
        .hasMessageContaining(other.toString());
  }

  @Test
  void build_samePathAgain_sharesDataAndClosesTwiceSafely() throws Exception {
    createSpans("shared");
    ChdbEngine second = ChdbEngine.builder().dataPath(engine.dataPath()).poolSize(1).build();

    second.execute("INSERT INTO {db:Identifier}.shared (Name) VALUES ('x')", Map.of("db", db));
    second.close();
    second.close();

    assertThat(count("shared")).isEqualTo(1);
    assertThatThrownBy(() -> second.query("SELECT 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("closed");
  }

  @Test
  void build_samePathThroughSymlink_isTheSamePath(@TempDir Path dir) throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("link"), engine.dataPath());

    try (ChdbEngine viaLink = ChdbEngine.builder().dataPath(link).poolSize(1).build()) {
      assertThat(viaLink.query("SELECT 1", Map.of()).rows()).containsExactly(List.of(1L));
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(() -> ChdbEngine.builder().poolSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("poolSize: 0 (expected: 1..64)");
    assertThatThrownBy(() -> ChdbEngine.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataPath");
  }
}
