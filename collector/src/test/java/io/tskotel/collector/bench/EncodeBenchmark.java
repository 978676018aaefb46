package io.tskotel.collector.bench;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.pipeline.internal.SignalWriter;
import io.tskotel.collector.receiver.internal.OtlpCodec;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.LogEncoder;
import io.tskotel.exporter.internal.encode.MetricEncoder;
import io.tskotel.exporter.internal.encode.WireLogEncoder;
import io.tskotel.exporter.internal.encode.WireMetricEncoder;
import io.tskotel.exporter.internal.encode.WireSpanEncoder;
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
 * The collector's own CPU per span for encoding (with {@code batcher}: only the batcher's old path against
 * the wire path, per signal, CPU and allocation per item; with {@code receiver}: only the receiver's parse +
 * validate against its wire walk): the load generator's realistic spans (decoded once) into
 * otel_traces RowBinary, no engine. Prints this thread's CPU nanoseconds per span, so runs of two builds can
 * be alternated on a shared machine. Run from the collector module's test class path:
 *
 * <pre>
 * java -cp ... io.tskotel.collector.bench.EncodeBenchmark [seconds] [batcher|receiver]
 * </pre>
 */
public final class EncodeBenchmark {
  private EncodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    if (args.length > 1 && args[1].equals("batcher")) {
      for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
        batcherStep(signal, seconds, ManagementFactory.getThreadMXBean());
      }
      return;
    }
    if (args.length > 1 && args[1].equals("receiver")) {
      for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
        receiverStep(signal, seconds, ManagementFactory.getThreadMXBean());
      }
      return;
    }
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
    RowSink sink = new WriterSink(w);
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

    // What the batcher pays per item, old path against new, on the same queued bodies.
    for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
      batcherStep(signal, seconds, threads);
    }

    // What the receiver pays per request before queueing it: the full parse + validate it did before,
    // against the wire walk it does now (both on the same bodies, alternated).
    for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
      receiverStep(signal, seconds, threads);
    }
  }

  private static void receiverStep(LoadConfig.Signal signal, double seconds, ThreadMXBean threads)
      throws Exception {
    LoadConfig load = new LoadConfig(signal, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0, 500, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    Payloads payloads = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L);
    List<byte[]> bodies = payloads.bodies();
    OtlpCodec<?, ?> codec = switch (signal) {
      case TRACES -> OtlpCodec.TRACES;
      case METRICS -> OtlpCodec.METRICS;
      case LOGS -> OtlpCodec.LOGS;
    };
    double[] nanos = new double[2];
    int rounds = 4;
    for (int round = 0; round < 2 * rounds; round++) {
      // A B B A A B B A: neither variant always runs first or warm.
      boolean walk = ((round + 1) / 2) % 2 == 1;
      long items = 0;
      long end = System.nanoTime() + (long) (seconds / 4 * 1e9);
      long c0 = threads.getCurrentThreadCpuTime();
      while (System.nanoTime() < end) {
        for (byte[] b : bodies) {
          items += walk ? codec.walkValid(b) : fullPath(codec, b);
        }
      }
      long cpu = threads.getCurrentThreadCpuTime() - c0;
      if (round >= 2) { // the first A and B warm up
        nanos[walk ? 1 : 0] += cpu / (double) items;
      }
    }
    double parse = nanos[0] / (rounds - 1);
    double walk = nanos[1] / (rounds - 1);
    System.out.printf(Locale.ROOT,
        "receiver %s: parse + validate %.0f ns CPU per item, wire walk %.0f ns (%.2fx)%n",
        signal.name().toLowerCase(Locale.ROOT), parse, walk, walk / parse);
  }

  /**
   * The batcher's work per item between the queue and the engine: the old path (parse the queued request
   * into protobuf's objects, count its items, encode the objects) against the wire path (count on the wire,
   * encode from the bytes), alternated A B B A; CPU and bytes allocated by this thread per item. The
   * RowBinary written by both is checked to be identical first.
   */
  private static void batcherStep(LoadConfig.Signal signal, double seconds, ThreadMXBean threads)
      throws Exception {
    LoadConfig load = new LoadConfig(signal, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0, 500, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    List<byte[]> bodies = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L).bodies();
    Signal pipelineSignal = Signal.valueOf(signal.name());
    SignalWriter<?> counter = SignalWriter.of(pipelineSignal);
    EncodeStats stats = new EncodeStats();
    SpanEncoder spans = new SpanEncoder(stats);
    LogEncoder logs = new LogEncoder(stats);
    WireSpanEncoder wireSpans = new WireSpanEncoder(stats);
    WireLogEncoder wireLogs = new WireLogEncoder(stats);
    MetricEncoder metrics = new MetricEncoder(stats);
    WireMetricEncoder wireMetrics = new WireMetricEncoder(stats);
    RowBinaryWriter w = new RowBinaryWriter(1 << 24);
    RowSink sink = new WriterSink(w);
    // Metrics write one table per point type; the loadgen's are all gauges, so one sink serves.
    BatcherPath old = body -> switch (signal) {
      case TRACES -> spans.encode(ExportTraceServiceRequest.parseFrom(body).getResourceSpansList(), sink);
      case LOGS -> logs.encode(ExportLogsServiceRequest.parseFrom(body).getResourceLogsList(), sink);
      case METRICS -> metrics.encode(
          ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList(), t -> sink);
    };
    BatcherPath wire = body -> {
      int items = counter.decode(body).items();
      long rows = switch (signal) {
        case TRACES -> wireSpans.encode(List.of(body), sink, Long.MIN_VALUE).rows();
        case LOGS -> wireLogs.encode(List.of(body), sink, Long.MIN_VALUE).rows();
        case METRICS -> wireMetrics.encode(List.of(body), t -> sink, Long.MIN_VALUE).rows();
      };
      return rows == items ? items : -1;
    };
    byte[] expected = null;
    for (BatcherPath p : List.of(old, wire)) {
      w.reset();
      for (byte[] b : bodies) {
        p.run(b);
      }
      if (expected == null) {
        expected = w.toByteArray();
      } else if (!java.util.Arrays.equals(expected, w.toByteArray())) {
        throw new IllegalStateException("wire path wrote other RowBinary than the object path");
      }
    }
    com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) threads;
    double[] nanos = new double[2];
    double[] bytes = new double[2];
    int rounds = 4;
    for (int round = 0; round < 2 * rounds; round++) {
      boolean isWire = ((round + 1) / 2) % 2 == 1; // A B B A A B B A
      BatcherPath p = isWire ? wire : old;
      long items = 0;
      long end = System.nanoTime() + (long) (seconds / 4 * 1e9);
      long c0 = threads.getCurrentThreadCpuTime();
      long a0 = alloc.getCurrentThreadAllocatedBytes();
      while (System.nanoTime() < end) {
        for (byte[] b : bodies) {
          w.reset();
          items += p.run(b);
        }
      }
      long cpu = threads.getCurrentThreadCpuTime() - c0;
      long allocated = alloc.getCurrentThreadAllocatedBytes() - a0;
      if (round >= 2) { // the first A and B warm up
        nanos[isWire ? 1 : 0] += cpu / (double) items;
        bytes[isWire ? 1 : 0] += allocated / (double) items;
      }
    }
    for (int i = 0; i < 2; i++) {
      nanos[i] /= rounds - 1;
      bytes[i] /= rounds - 1;
    }
    System.out.printf(Locale.ROOT,
        "batcher %s: parse + encode %.0f ns CPU and %.0f B allocated per item; wire %.0f ns and %.0f B (%.2fx CPU,"
            + " %,.0f -> %,.0f items per CPU-second)%n",
        signal.name().toLowerCase(Locale.ROOT), nanos[0], bytes[0], nanos[1], bytes[1], nanos[1] / nanos[0],
        1e9 / nanos[0], 1e9 / nanos[1]);
  }

  @FunctionalInterface
  private interface BatcherPath {
    long run(byte[] body) throws Exception;
  }

  private static <Req extends Message> long fullPath(OtlpCodec<Req, ?> codec, byte[] body) throws Exception {
    return codec.validate(codec.parse(body)).keptItems();
  }
}
