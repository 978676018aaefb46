package io.tskotel.collector.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.encode.SpanEncoder;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The collector's own CPU per span for encoding: the load generator's realistic spans (decoded once) into
 * otel_traces RowBinary, no engine. Prints this thread's CPU nanoseconds per span, so runs of two builds can
 * be alternated on a shared machine. Run from the collector module's test class path:
 *
 * <pre>
 * java -cp ... io.tskotel.collector.bench.EncodeBenchmark [seconds]
 * </pre>
 */
public final class EncodeBenchmark {
  private EncodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    LoadConfig load = new LoadConfig(LoadConfig.Signal.TRACES, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0, 500, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    Payloads payloads = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L);
    List<ResourceSpans> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.addAll(((ExportTraceServiceRequest) payloads.request(i % Payloads.POOL)).getResourceSpansList());
    }
    SpanEncoder encoder = new SpanEncoder(new EncodeStats());
    RowBinaryWriter w = new RowBinaryWriter(1 << 24);
    RowSink sink = new RowSink() {
      @Override
      public RowBinaryWriter writer() {
        return w;
      }

      @Override
      public void endRow() {}
    };
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long spans = 0;
    long warmupEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    while (System.nanoTime() < warmupEnd) {
      w.reset();
      encoder.encode(batch, sink);
    }
    long cpu0 = threads.getCurrentThreadCpuTime();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      w.reset();
      spans += encoder.encode(batch, sink);
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    System.out.printf(Locale.ROOT, "encode: %.0f ns CPU per span, %,.0f spans per CPU-second (%d bytes per batch)%n",
        cpu / (double) spans, spans / (cpu / 1e9), w.size());

    // What the batcher pays before encoding: parsing the queued request bytes again.
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add(payloads.request(i % Payloads.POOL).toByteArray());
    }
    for (boolean aliasing : new boolean[] {false, true, false, true}) {
      long parsed = 0;
      long parseEnd = System.nanoTime() + (long) (seconds / 2 * 1e9);
      long p0 = threads.getCurrentThreadCpuTime();
      while (System.nanoTime() < parseEnd) {
        for (byte[] b : bodies) {
          com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(b);
          in.enableAliasing(aliasing);
          parsed += ExportTraceServiceRequest.parseFrom(in).getResourceSpans(0).getScopeSpans(0).getSpansCount();
        }
      }
      long pcpu = threads.getCurrentThreadCpuTime() - p0;
      System.out.printf(Locale.ROOT, "decode (aliasing %s): %.0f ns CPU per span%n", aliasing, pcpu / (double) parsed);
    }
  }
}
