package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tskotel.collector.Collector;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.pipeline.internal.DeadLetterFile;
import io.tskotel.collector.testing.FaultInjectingEngine;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tskotel deadletter list|replay} on dead letters a real collector wrote: the store (real chDB)
 * refuses a request's data for good, the operator lists it, fixes the cause, replays it with the collector
 * stopped, and the next run stores it.
 */
class DeadLetterCommandTest {
  private static final int RECORDS = 3;

  @TempDir Path dir;
  private String database;
  private FaultInjectingEngine engine;
  private Collector collector;
  private Path config;

  @BeforeEach
  void setUp() throws Exception {
    database = ChdbTestEngine.newDatabase(DeadLetterCommandTest.class);
    engine = new FaultInjectingEngine(ChdbTestEngine.shared());
    config = dir.resolve("tskotel.tsk");
    Files.writeString(config, "[collector]\nqueue_dir: \"" + dir.resolve("queue") + "\"\n");
  }

  @AfterEach
  void tearDown() {
    if (collector != null) {
      collector.shutdown();
    }
    ChdbTestEngine.dropDatabase(database);
  }

  private void startCollector() throws Exception {
    ClickHouseStore store = ClickHouseStore.create(StoreConfig.builder().database(database).build(), engine);
    collector = Collector.builder(TestCollectors.settings(dir, p -> {})).store(store).start();
  }

  private record Run(int exit, String out, String err) {}

  private static Run tskotel(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static byte[] poisonedLogs() {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < RECORDS; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
          .setBody(AnyValue.newBuilder().setStringValue(FaultInjectingEngine.POISON + " " + i)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build().toByteArray();
  }

  @Test
  void listThenReplay_afterTheCauseIsFixed_theNextRunStoresTheRequest() throws Exception {
    startCollector();
    Admission admission = collector.pipeline().sink().admit(Signal.LOGS, poisonedLogs(), RECORDS);
    assertThat(admission.outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
    Path deadLetters = collector.settings().pipeline().deadLetterDirectory();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (DeadLetterFile.read(deadLetters, "logs").isEmpty()) {
      assertThat(System.nanoTime()).as("the refused request is dead-lettered").isLessThan(deadline);
      Thread.sleep(20);
    }

    Run running = tskotel("deadletter", "replay", "-c", config.toString());
    assertThat(running.exit()).as(running.err()).isEqualTo(1);
    assertThat(running.err()).contains("stop it before replaying");
    assertThat(DeadLetterFile.read(deadLetters, "logs")).as("kept while the collector runs").hasSize(1);
    collector.shutdown();
    collector = null;

    Run list = tskotel("deadletter", "list", "-c", config.toString(), "--signal", "logs");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("SIGNAL", "logs", "items=" + RECORDS,
        "reason=injected: the engine refuses this data");
    assertThat(tskotel("deadletter", "list", "-c", config.toString(), "--signal", "spans").exit()).isEqualTo(2);

    engine.refusePoison(false); // the cause is fixed
    Run replay = tskotel("deadletter", "replay", "-c", config.toString(), "--signal", "logs");
    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("logs: 1 dead-lettered requests put back into the queue");
    assertThat(tskotel("deadletter", "list", "-c", config.toString()).out()).contains("no dead letters");

    startCollector();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (storedPoison() < RECORDS) {
      assertThat(System.nanoTime()).as("the replayed request is written").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(storedPoison()).isEqualTo(RECORDS);
  }

  private long storedPoison() throws Exception {
    return ((Number) collector.store().query(
        "SELECT count() FROM " + database + ".otel_logs WHERE startsWith(Body, {p:String})",
        Map.of("p", FaultInjectingEngine.POISON)).rows().get(0).get(0)).longValue();
  }
}
