package io.tskotel.collector.config;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.BYTES;
import static io.tskotel.tsk.ValueType.DURATION;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;
import static java.util.Objects.requireNonNull;

import io.tskotel.collector.alert.AlertingConfig;
import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.collector.clickhouse.ClickHouseHttpConfig;
import io.tskotel.collector.memory.MemoryConfig;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.queue.QueueConfig;
import io.tskotel.collector.receiver.OtlpReceiverConfig;
import io.tskotel.collector.receiver.TlsConfig;
import io.tskotel.collector.web.DashboardConfig;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.SettingsException;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.TskParseException;
import io.tskotel.tsk.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The ingest path's settings, read from the TSK {@code [collector]} and {@code [storage]} sections (keys and
 * defaults: the shipped {@code tskotel.tsk}). {@link #from} also reads the sections of the components {@code
 * tskotel run} starts, so a bad document is reported whole before anything starts (how a component declares
 * its section: docs/configuration.md). Relative paths are resolved against the working directory.
 *
 * @param receiver the OTLP listeners
 * @param pipeline queue and batching
 * @param store the storage engine
 * @param selfTelemetryInterval how often the collector stores its own metrics; zero disables it
 * @param memory the process's memory budget, the heap's share of it and the memory guard
 */
public record CollectorSettings(
    OtlpReceiverConfig receiver,
    PipelineConfig pipeline,
    StoreConfig store,
    Duration selfTelemetryInterval,
    MemoryConfig memory) {

  /** Where the queues live unless {@code [collector] queue_dir} says otherwise. */
  public static final String DEFAULT_QUEUE_DIR = "data/queue";

  /** The classpath resource holding the default configuration. */
  public static final String DEFAULT_RESOURCE = "/tskotel.tsk";

  public CollectorSettings {
    requireNonNull(receiver, "receiver");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(store, "store");
    requireNonNull(selfTelemetryInterval, "selfTelemetryInterval");
    requireNonNull(memory, "memory");
  }

  /** With the default memory budget and guard. */
  public CollectorSettings(
      OtlpReceiverConfig receiver, PipelineConfig pipeline, StoreConfig store, Duration selfTelemetryInterval) {
    this(receiver, pipeline, store, selfTelemetryInterval, MemoryConfig.defaults());
  }

  /**
   * The sections of the components {@code tskotel run} starts besides the ingest path, each read by the
   * component's own {@code read(SettingsReader)}; they read them again from the document when they start.
   */
  private static final List<Consumer<SettingsReader>> COMPONENT_SECTIONS = List.of(
      r -> DashboardConfig.read(r, AdminServerConfig.read(r)), // [admin], [dashboard], [health_checks]
      QueryConfig::read, // [query]
      ClickHouseHttpConfig::read, // [clickhouse_http]
      AlertingConfig::read); // [alerting], [alerting.rules.NAME]

  /**
   * Parses {@code file}, or the shipped default when null, with {@code environment} for {@code @env}.
   *
   * @throws TskParseException on a syntax error ({@code file:line:col: message})
   * @throws IOException if the file cannot be read
   */
  public static Tsk load(@Nullable Path file, Map<String, String> environment) throws IOException {
    var parser = Tsk.parser().environment(environment);
    if (file != null) {
      return parser.build().load(file);
    }
    try (InputStream in = CollectorSettings.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IOException("default configuration " + DEFAULT_RESOURCE + " missing from the classpath");
      }
      return parser.sourceName("tskotel.tsk (built-in)").build()
          .parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The shipped default configuration with the process environment. */
  public static CollectorSettings defaults() {
    try {
      return from(load(null, System.getenv()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the settings and validates every section the collector reads, reporting unknown keys in each.
   *
   * @throws SettingsException listing every problem at once
   */
  public static CollectorSettings from(Tsk tsk) {
    SettingsReader r = new SettingsReader(tsk);
    SettingsReader.Section collector = r.section("collector");
    OtlpReceiverConfig receiver = receiver(collector);
    PipelineConfig pipeline = pipeline(collector, r.section("storage"));
    if (pipeline.segmentBytes() < receiver.maxMessageBytes() + 64L) {
      collector.error("queue_segment_bytes", pipeline.segmentBytes()
          + " (expected: above max_message_bytes " + receiver.maxMessageBytes() + ")");
    }
    StoreConfig store = StoreConfig.read(r).build();
    Duration selfTelemetry = collector.get("self_telemetry_interval", DURATION, Duration.ofSeconds(15),
        d -> !d.isNegative(), ">= 0; 0 disables it");
    MemoryConfig memory = memory(collector);
    COMPONENT_SECTIONS.forEach(section -> section.accept(r));

    // The typed configs' own checks, reported at the keys they come from.
    collector.validation(receiver.validate(), "");
    collector.validation(pipeline.queue().validate(), "queue_");
    r.section("storage").validation(pipeline.batch().validate(), "batch_");
    r.section("storage").validation(store.validate(), "");
    collector.validation(memory.validate(), "memory_");
    checkBudget(collector, r.section("storage"), memory, receiver, pipeline, store);
    r.requireValid();
    return new CollectorSettings(receiver, pipeline, store, selfTelemetry, memory);
  }

  private static MemoryConfig memory(SettingsReader.Section c) {
    return new MemoryConfig(
        c.get("memory_limit", BYTES, MemoryConfig.DEFAULT_LIMIT_BYTES),
        c.get("memory_heap_percent", INT, MemoryConfig.DEFAULT_HEAP_PERCENT),
        c.get("memory_check_interval", DURATION, MemoryConfig.DEFAULT_CHECK_INTERVAL),
        c.get("memory_soft_limit_percent", INT, MemoryConfig.DEFAULT_SOFT_PERCENT),
        c.get("memory_hard_limit_percent", INT, MemoryConfig.DEFAULT_HARD_PERCENT),
        c.get("memory_check_resident", BOOLEAN, false),
        c.get("memory_native_trim_interval", DURATION, MemoryConfig.DEFAULT_NATIVE_TRIM_INTERVAL));
  }

  /**
   * The parts of the budget must fit in it, each reported at the key that sizes it: the heap, the embedded
   * engine's memory and {@link MemoryConfig#NATIVE_RESERVE_BYTES} of the JVM's own native memory together within
   * {@code memory_limit}; within the heap, what requests in flight hold (at most half of it) and, with them, the
   * store writers' buffers, under the guard's soft limit (else the guard would refuse while nothing is wrong).
   */
  private static void checkBudget(SettingsReader.Section collector, SettingsReader.Section storage,
      MemoryConfig memory, OtlpReceiverConfig receiver, PipelineConfig pipeline, StoreConfig store) {
    if (memory.limitBytes() <= 0 || !memory.validate().isEmpty()) {
      return;
    }
    long heap = memory.heapBytes();
    if (receiver.maxBytesInFlight() > heap / 2) {
      collector.error("max_bytes_in_flight", receiver.maxBytesInFlight() + " (expected: at most half the heap, "
          + heap / 2 + " bytes of memory_limit " + memory.limitBytes() + " x memory_heap_percent "
          + memory.heapPercent() + ")");
    } else if (receiver.maxBytesInFlight() + writeBuffers(pipeline, store) > memory.heapSoftBytes()) {
      storage.error("batch_writers", pipeline.batch().writers() + " (expected: write buffers of "
          + writeBuffers(pipeline, store) + " bytes (" + Signal.values().length + " signals x batch_writers x"
          + " (batch_max_bytes + 2 x max_insert_bytes)) and max_bytes_in_flight " + receiver.maxBytesInFlight()
          + " within the heap's soft limit " + memory.heapSoftBytes() + ")");
    }
    long engine = store.engineMemory().serverMemoryLimit();
    long room = memory.limitBytes() - heap - MemoryConfig.NATIVE_RESERVE_BYTES;
    if (store.engine() == StoreConfig.EngineKind.EMBEDDED && engine > 0 && engine > room) {
      storage.error("engine_memory_limit", engine + " (expected: at most memory_limit " + memory.limitBytes()
          + " minus the heap " + heap + " and " + MemoryConfig.NATIVE_RESERVE_BYTES
          + " for the JVM's own native memory: " + Math.max(room, 0) + ")");
    }
  }

  /**
   * What the store's writing threads hold in the heap at most: per signal and writer, one batch read from the
   * queue and its insert, encoded (up to {@code max_insert_bytes}) and transcoded to a Native block (as much again).
   */
  static long writeBuffers(PipelineConfig pipeline, StoreConfig store) {
    long perWriter = pipeline.batch().maxBytes() + 2L * store.maxInsertBytes();
    return Signal.values().length * (long) pipeline.batch().writers() * perWriter;
  }

  private static OtlpReceiverConfig receiver(SettingsReader.Section c) {
    String tlsCert = optional(c, "tls_cert_file");
    String tlsKey = optional(c, "tls_key_file");
    String tlsClientCa = optional(c, "tls_client_ca_file");
    TlsConfig tls = null;
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        c.error(tlsCert == null ? "tls_key_file" : "tls_cert_file",
            "only one of tls_cert_file and tls_key_file is set (expected: both or none)");
      } else {
        tls = TlsConfig.of(Path.of(tlsCert), Path.of(tlsKey));
        if (tlsClientCa != null) {
          tls = tls.withClientCa(Path.of(tlsClientCa));
        }
      }
    } else if (tlsClientCa != null) {
      c.error("tls_client_ca_file", "set without tls_cert_file and tls_key_file");
    }
    long maxMessage = c.get("max_message_bytes", BYTES, (long) OtlpReceiverConfig.DEFAULT_MAX_MESSAGE_BYTES,
        v -> v <= Integer.MAX_VALUE, "<= " + Integer.MAX_VALUE);
    long flowControlWindow = c.get("grpc_flow_control_window", BYTES,
        (long) OtlpReceiverConfig.DEFAULT_GRPC_FLOW_CONTROL_WINDOW, v -> v <= Integer.MAX_VALUE,
        "<= " + Integer.MAX_VALUE);
    // One key exposes both receivers (host: "0.0.0.0"); grpc_host and http_host, when not empty, set one.
    String host = c.get("host", STRING, OtlpReceiverConfig.DEFAULT_HOST);
    String grpcHost = c.get("grpc_host", STRING, "");
    String httpHost = c.get("http_host", STRING, "");
    return OtlpReceiverConfig.builder()
        .grpcEnabled(c.get("grpc_enabled", BOOLEAN, true))
        .grpcHost(grpcHost.isEmpty() ? host : grpcHost)
        .grpcPort(c.get("grpc_port", INT, OtlpReceiverConfig.DEFAULT_GRPC_PORT))
        .httpEnabled(c.get("http_enabled", BOOLEAN, true))
        .httpHost(httpHost.isEmpty() ? host : httpHost)
        .httpPort(c.get("http_port", INT, OtlpReceiverConfig.DEFAULT_HTTP_PORT))
        .maxMessageBytes((int) maxMessage)
        .maxBytesInFlight(c.get("max_bytes_in_flight", BYTES, OtlpReceiverConfig.DEFAULT_MAX_BYTES_IN_FLIGHT))
        .grpcFlowControlWindow((int) flowControlWindow)
        .grpcMaxConcurrentStreams(c.get("grpc_max_concurrent_streams", INT, 0))
        .authToken(optional(c, "auth_token"))
        .tls(tls)
        .build();
  }

  /** The queue from {@code [collector]}, the batching from {@code [storage]} (it sizes the store's writes). */
  private static PipelineConfig pipeline(SettingsReader.Section c, SettingsReader.Section storage) {
    BatcherConfig batch = BatcherConfig.builder()
        .maxItems(storage.get("batch_max_items", INT, BatcherConfig.DEFAULT_MAX_ITEMS))
        .maxDelay(storage.get("batch_max_delay", DURATION, BatcherConfig.DEFAULT_MAX_DELAY))
        .maxBytes(storage.get("batch_max_bytes", BYTES, BatcherConfig.DEFAULT_MAX_BYTES))
        .writers(storage.get("batch_writers", INT, BatcherConfig.DEFAULT_WRITERS))
        .concurrentWrites(storage.get("batch_concurrent_writes", INT, BatcherConfig.DEFAULT_CONCURRENT_WRITES))
        .build();
    return PipelineConfig.builder(Path.of(c.get("queue_dir", STRING, DEFAULT_QUEUE_DIR)))
        .queueMaxBytes(c.get("queue_max_bytes", BYTES, QueueConfig.DEFAULT_MAX_BYTES))
        .segmentBytes(c.get("queue_segment_bytes", BYTES, QueueConfig.DEFAULT_SEGMENT_BYTES))
        .fsync(FsyncPolicy.valueOf(c.get("queue_fsync", FSYNC, "always").toUpperCase(Locale.ROOT)))
        .fsyncInterval(c.get("queue_fsync_interval", DURATION, QueueConfig.DEFAULT_FSYNC_INTERVAL))
        .batch(batch)
        .retryAfter(c.get("retry_after", DURATION, PipelineConfig.DEFAULT_RETRY_AFTER, d -> !d.isNegative(), ">= 0"))
        .drainTimeout(
            c.get("drain_timeout", DURATION, PipelineConfig.DEFAULT_DRAIN_TIMEOUT, d -> !d.isNegative(), ">= 0"))
        .build();
  }

  private static final ValueType<String> FSYNC = ValueType.oneOf("always", "interval", "never");

  /** A string, where an empty one means absent. */
  private static @Nullable String optional(SettingsReader.Section s, String key) {
    String value = s.get(key, STRING, "");
    return value.isBlank() ? null : value;
  }
}
