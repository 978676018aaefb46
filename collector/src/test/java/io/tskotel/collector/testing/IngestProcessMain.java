package io.tskotel.collector.testing;

import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A collector process without receivers, for the kill -9 test: {@code ingest} admits trace requests
 * 0, 1, 2, … through the durable sink and appends the number of each ACCEPTED one to the ack file (the
 * client's view of what was acknowledged) until it is killed; {@code verify} starts on the same
 * directories, lets the pipeline replay and drain, and prints the request number of every stored span.
 *
 * <p>Usage: {@code IngestProcessMain ingest|verify QUEUE_DIR CHDB_DIR ACK_FILE}
 */
public final class IngestProcessMain {
  public static final int SPANS_PER_REQUEST = 5;
  /** Last line of a complete verify output (the exit code is not reliable: see the kill -9 test). */
  public static final String END = "END";

  private IngestProcessMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    PipelineConfig config = PipelineConfig.builder(Path.of(args[1])).build();
    StoreConfig storeConfig = StoreConfig.builder().dataPath(Path.of(args[2])).database("otel").build();
    ChdbEngine engine = ChdbEngine.builder().dataPath(Path.of(args[2])).poolSize(2).build();
    try (ClickHouseStore store = ClickHouseStore.create(storeConfig, engine)) {
      Pipeline pipeline = Pipeline.builder(config, store).start();
      if (mode.equals("ingest")) {
        try (OutputStream acks = new FileOutputStream(args[3], true)) {
          for (long r = 0; ; r++) {
            byte[] request = OtlpRequests.traces(r, SPANS_PER_REQUEST, "kill-test").toByteArray();
            Admission admission = pipeline.sink().admit(Signal.TRACES, request, SPANS_PER_REQUEST);
            if (admission.outcome() == Admission.Outcome.ACCEPTED) {
              // An unbuffered write reaches the kernel before the next request: it survives SIGKILL.
              acks.write((r + "\n").getBytes(StandardCharsets.US_ASCII));
            }
          }
        }
      }
      if (!pipeline.shutdown()) {
        System.err.println("queue not drained");
        System.exit(3);
      }
      QueryResult result = store.query(
          "SELECT SpanId FROM otel.otel_traces", Map.of());
      StringBuilder out = new StringBuilder();
      for (var row : result.rows()) {
        long spanId = Long.parseUnsignedLong((String) row.get(0), 16);
        out.append((spanId - 1) / 1000).append('\n');
      }
      out.append(END).append('\n');
      System.out.print(out);
      System.out.flush();
    }
  }
}
