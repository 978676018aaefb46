package io.tskotel.collector.config;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.queue.QueueConfig;
import io.tskotel.collector.receiver.OtlpReceiverConfig;
import io.tskotel.collector.receiver.TlsConfig;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.TskParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code tskotel run} needs, read from the TSK {@code [collector]} and {@code [storage]}
 * sections (keys and defaults: the shipped {@code tskotel.tsk}). Relative paths are resolved against the
 * working directory.
 *
 * @param receiver the OTLP listeners
 * @param pipeline queue and batching
 * @param store the storage engine
 * @param selfTelemetryInterval how often the collector stores its own metrics; zero disables it
 * @param adminHost interface of the admin HTTP surfaces (loopback by default)
 * @param adminPort port of the admin HTTP surfaces
 */
public record CollectorSettings(
    OtlpReceiverConfig receiver,
    PipelineConfig pipeline,
    StoreConfig store,
    Duration selfTelemetryInterval,
    String adminHost,
    int adminPort) {

  /** Where the queues live unless {@code [collector] queue_dir} says otherwise. */
  public static final String DEFAULT_QUEUE_DIR = "data/queue";

  /**
   * The {@code [storage]} keys {@link StoreConfig#builder(Tsk)} reads (docs/operations.md); with the
   * batching keys read here, every other key in the section is reported as unknown.
   */
  static final List<String> STORE_KEYS = List.of("engine", "data_path", "database", "migrate_on_start",
      "ttl_traces", "ttl_logs", "ttl_metrics", "ttl_alerts", "cluster_name", "table_engine",
      "table_engine_params", "endpoints", "user", "password_env", "trust_store", "connect_timeout",
      "socket_timeout", "compression", "max_insert_bytes", "read_connections", "query_timeout",
      "max_result_rows");

  /** The classpath resource holding the default configuration. */
  public static final String DEFAULT_RESOURCE = "/tskotel.tsk";

  public CollectorSettings {
    requireNonNull(receiver, "receiver");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(store, "store");
    requireNonNull(selfTelemetryInterval, "selfTelemetryInterval");
    requireNonNull(adminHost, "adminHost");
  }

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
   * Reads the settings, validating every part.
   *
   * @throws IllegalArgumentException listing every problem at once
   */
  public static CollectorSettings from(Tsk tsk) {
    TskReader r = new TskReader(tsk);

    String tlsCert = r.optionalString("collector.tls_cert_file");
    String tlsKey = r.optionalString("collector.tls_key_file");
    String tlsClientCa = r.optionalString("collector.tls_client_ca_file");
    TlsConfig tls = null;
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        r.error("collector.tls_cert_file and collector.tls_key_file: only one is set (expected: both or none)");
      } else {
        tls = TlsConfig.of(Path.of(tlsCert), Path.of(tlsKey));
        if (tlsClientCa != null) {
          tls = tls.withClientCa(Path.of(tlsClientCa));
        }
      }
    } else if (tlsClientCa != null) {
      r.error("collector.tls_client_ca_file: set without tls_cert_file and tls_key_file");
    }
    long maxMessage = r.bytes("collector.max_message_bytes", OtlpReceiverConfig.DEFAULT_MAX_MESSAGE_BYTES);
    if (maxMessage > Integer.MAX_VALUE) {
      r.error("collector.max_message_bytes: " + maxMessage + " (expected: <= " + Integer.MAX_VALUE + ")");
      maxMessage = OtlpReceiverConfig.DEFAULT_MAX_MESSAGE_BYTES;
    }
    // One key exposes both receivers (host: "0.0.0.0"); grpc_host and http_host, when not empty, set one.
    String host = r.string("collector.host", OtlpReceiverConfig.DEFAULT_HOST);
    String grpcHost = r.string("collector.grpc_host", "");
    String httpHost = r.string("collector.http_host", "");
    OtlpReceiverConfig receiver = OtlpReceiverConfig.builder()
        .grpcEnabled(r.bool("collector.grpc_enabled", true))
        .grpcHost(grpcHost.isEmpty() ? host : grpcHost)
        .grpcPort(r.integer("collector.grpc_port", OtlpReceiverConfig.DEFAULT_GRPC_PORT))
        .httpEnabled(r.bool("collector.http_enabled", true))
        .httpHost(httpHost.isEmpty() ? host : httpHost)
        .httpPort(r.integer("collector.http_port", OtlpReceiverConfig.DEFAULT_HTTP_PORT))
        .maxMessageBytes((int) maxMessage)
        .authToken(r.optionalString("collector.auth_token"))
        .tls(tls)
        .build();

    BatcherConfig batch = BatcherConfig.builder()
        .maxItems(r.integer("storage.batch_max_items", BatcherConfig.DEFAULT_MAX_ITEMS))
        .maxDelay(r.duration("storage.batch_max_delay", BatcherConfig.DEFAULT_MAX_DELAY))
        .build();
    PipelineConfig pipeline = PipelineConfig.builder(Path.of(r.string("collector.queue_dir", DEFAULT_QUEUE_DIR)))
        .queueMaxBytes(r.bytes("collector.queue_max_bytes", QueueConfig.DEFAULT_MAX_BYTES))
        .segmentBytes(r.bytes("collector.queue_segment_bytes", QueueConfig.DEFAULT_SEGMENT_BYTES))
        .fsync(FsyncPolicy.valueOf(r.choice("collector.queue_fsync", "always",
            List.of("always", "interval", "never")).toUpperCase(Locale.ROOT)))
        .fsyncInterval(r.duration("collector.queue_fsync_interval", QueueConfig.DEFAULT_FSYNC_INTERVAL))
        .batch(batch)
        .retryAfter(r.duration("collector.retry_after", PipelineConfig.DEFAULT_RETRY_AFTER))
        .drainTimeout(r.duration("collector.drain_timeout", PipelineConfig.DEFAULT_DRAIN_TIMEOUT))
        .build();
    if (pipeline.segmentBytes() < receiver.maxMessageBytes() + 64L) {
      r.error("collector.queue_segment_bytes: " + pipeline.segmentBytes()
          + " (expected: above max_message_bytes " + receiver.maxMessageBytes() + ")");
    }

    // The store reads its own keys (one reader for every [storage] user); bad values come back all at once.
    StoreConfig.Builder store;
    try {
      store = StoreConfig.builder(tsk);
    } catch (IllegalArgumentException e) {
      e.getMessage().lines().skip(1).forEach(r::rawError);
      store = StoreConfig.builder();
    }
    r.markKnown("storage", STORE_KEYS);
    StoreConfig storeConfig = store.build();

    Duration selfTelemetry = r.duration("collector.self_telemetry_interval", Duration.ofSeconds(15));
    if (selfTelemetry.isNegative()) {
      r.error("collector.self_telemetry_interval: " + selfTelemetry + " (expected: >= 0; 0 disables it)");
      selfTelemetry = Duration.ZERO;
    }
    String adminHost = r.string("collector.admin_host", "127.0.0.1");
    int adminPort = r.integer("collector.admin_port", 8080);

    r.rejectUnknownKeys("collector");
    r.rejectUnknownKeys("storage");
    List<String> errors = new ArrayList<>(r.errors());
    receiver.validate().forEach(e -> errors.add("[collector] " + e));
    pipeline.validate().forEach(e -> errors.add("[collector] " + e));
    storeConfig.validate().forEach(e -> errors.add("[storage] " + e));
    if (adminPort < 0 || adminPort > 65535) {
      errors.add("[collector] admin_port: " + adminPort + " (expected: 0..65535)");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration " + tsk.sourceName() + ":\n  " + String.join("\n  ", errors));
    }
    return new CollectorSettings(receiver, pipeline, storeConfig, selfTelemetry, adminHost, adminPort);
  }
}
