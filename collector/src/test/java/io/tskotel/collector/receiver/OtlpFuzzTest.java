package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.internal.BoundedBody;
import io.tskotel.collector.receiver.internal.IngestResult;
import io.tskotel.collector.receiver.internal.OtlpIngest;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.receiver.internal.OtlpJson;
import io.tskotel.collector.receiver.internal.OtlpCodec;
import io.tskotel.collector.receiver.internal.Validated;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OTLP front door under a seeded mutation fuzzer: protobuf and JSON bodies of all three signals
 * over HTTP (with odd content types and encodings) and raw messages over gRPC, each input derived
 * from the corpus in {@code src/test/resources/fuzz/otlp}. One input in four goes over the network;
 * the others go through the HTTP handler's body code in-process, for volume (see docs/testing.md). For every input an independent oracle
 * predicts the answer (415, 413, 400 or 200; INVALID_ARGUMENT, RESOURCE_EXHAUSTED or OK), and a
 * 200/OK must account for every item: admitted + rejected in {@code partial_success} = sent, and
 * nothing invalid admitted. No 5xx, no reset, no hang; the receiver still serves afterwards.
 *
 * <p>CI runs {@value #DEFAULT_INPUTS} inputs with a fixed seed. Longer runs:
 * {@code -Dtskotel.fuzz.inputs=1000000} or {@code -Dtskotel.fuzz.seconds=600}, and
 * {@code -Dtskotel.fuzz.seed=N} for another sequence. Findings are written to
 * {@code target/fuzz-findings}; keep each (after fixing it) under the corpus as {@code crash-*}.
 */
class OtlpFuzzTest {
  static final int DEFAULT_INPUTS = 14_000;
  private static final int MAX = 128 * 1024;
  private static final int MAX_FINDINGS = 25;
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final String[] ODD_CONTENT_TYPES = {
    "text/plain", "application/protobuf", "application/grpc", "*/*", "application/json-seq", "multipart/form-data",
    "application/x-protobuf; charset=utf-8", "Application/JSON", "application/json ; charset=latin1"
  };
  private static final String[] ODD_ENCODINGS = {"br", "deflate", "gzip, deflate", "GZIP", " identity ", "x-gzip"};

  private static final RecordingSink sink = new RecordingSink();
  private static final OtlpIngest INGEST = new OtlpIngest(sink, new CollectorMetrics());
  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static OtlpReceiver receiver;
  private static ManagedChannel channel;
  /** Its "gzip" compressor sends the message bytes unchanged: the inputs bring their own (broken) gzip. */
  private static ManagedChannel rawGzipChannel;
  private static List<Seed> seeds;
  /** How the inputs were answered ("HTTP 400", "gRPC OK", ...), for the run's summary. */
  private static final Map<String, Long> outcomes = new TreeMap<>();

  /** What differs between the signals, for the oracle. */
  enum Kind {
    TRACES(OtlpCodec.TRACES, "/v1/traces", TraceServiceGrpc.getExportMethod(), ExportTraceServiceRequest::newBuilder,
        ExportTraceServiceResponse::newBuilder),
    METRICS(OtlpCodec.METRICS, "/v1/metrics", MetricsServiceGrpc.getExportMethod(), ExportMetricsServiceRequest::newBuilder,
        ExportMetricsServiceResponse::newBuilder),
    LOGS(OtlpCodec.LOGS, "/v1/logs", LogsServiceGrpc.getExportMethod(), ExportLogsServiceRequest::newBuilder,
        ExportLogsServiceResponse::newBuilder);

    final OtlpCodec<?, ?> codec;
    final Signal signal;
    final String path;
    final MethodDescriptor<byte[], byte[]> grpcMethod;
    final Supplier<Message.Builder> request;
    final Supplier<Message.Builder> response;

    Kind(OtlpCodec<?, ?> codec, String path, MethodDescriptor<?, ?> generated, Supplier<Message.Builder> request,
        Supplier<Message.Builder> response) {
      this.codec = codec;
      this.signal = codec.signal();
      this.path = path;
      this.grpcMethod = generated.toBuilder(OtlpTestData.RAW, OtlpTestData.RAW).build();
      this.request = request;
      this.response = response;
    }

    Message parseProtobuf(byte[] bytes) throws InvalidProtocolBufferException {
      return request.get().mergeFrom(bytes).build();
    }

    /** Spans, data points or log records: the items {@code partial_success} counts. */
    long items(Message request) {
      return switch (this) {
        case TRACES -> ((ExportTraceServiceRequest) request).getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum();
        case METRICS -> ((ExportMetricsServiceRequest) request).getResourceMetricsList().stream()
            .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
            .mapToLong(OtlpFuzzTest::points).sum();
        case LOGS -> ((ExportLogsServiceRequest) request).getResourceLogsList().stream()
            .flatMap(rl -> rl.getScopeLogsList().stream()).mapToLong(sl -> sl.getLogRecordsCount()).sum();
      };
    }

    /** Why an admitted request holds an item the receiver should have rejected, or null. */
    @Nullable String invalidItem(Message admitted) {
      switch (this) {
        case TRACES -> {
          for (var rs : ((ExportTraceServiceRequest) admitted).getResourceSpansList()) {
            for (var ss : rs.getScopeSpansList()) {
              for (Span span : ss.getSpansList()) {
                if (!validId(span.getTraceId(), 16) || !validId(span.getSpanId(), 8)
                    || !(span.getParentSpanId().isEmpty() || validId(span.getParentSpanId(), 8))) {
                  return "span with invalid ids admitted: " + span.getName();
                }
              }
            }
          }
        }
        case METRICS -> {
          for (var rm : ((ExportMetricsServiceRequest) admitted).getResourceMetricsList()) {
            for (var sm : rm.getScopeMetricsList()) {
              for (Metric metric : sm.getMetricsList()) {
                if (metric.getName().isEmpty() || metric.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
                  return "metric without name or data admitted";
                }
              }
            }
          }
        }
        case LOGS -> {
          for (var rl : ((ExportLogsServiceRequest) admitted).getResourceLogsList()) {
            for (var sl : rl.getScopeLogsList()) {
              for (LogRecord log : sl.getLogRecordsList()) {
                if (!(log.getTraceId().isEmpty() || validId(log.getTraceId(), 16))
                    || !(log.getSpanId().isEmpty() || validId(log.getSpanId(), 8))) {
                  return "log record with invalid ids admitted";
                }
              }
            }
          }
        }
      }
      return null;
    }
  }

  private static long points(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  private static boolean validId(ByteString id, int length) {
    if (id.size() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }


  /** A corpus entry: its request parsed, and its JSON text when it came as JSON. */
  record Seed(Kind kind, Message request, @Nullable String json) {}

  /** One input to send. */
  /** How an input reaches the receiver. */
  enum Transport {
    HTTP,
    /** HTTP without Content-Length: the server learns the size only by reading. */
    HTTP_CHUNKED,
    GRPC,
    GRPC_GZIP,
    /** gRPC with {@code grpc-encoding: gzip} and the body sent as given: gzip bytes, often broken. */
    GRPC_RAW_GZIP,
    /** The HTTP handler's body code called directly, see {@link #callInProcess}. */
    IN_PROCESS;

    boolean grpc() {
      return this == GRPC || this == GRPC_GZIP || this == GRPC_RAW_GZIP;
    }
  }

  /** One input to send. */
  record Input(Kind kind, Kind path, Transport transport, String contentType, @Nullable String contentEncoding,
      byte[] body) {
    boolean grpc() {
      return transport.grpc();
    }

    String describe() {
      return transport + " " + (grpc() ? path.name() : "POST " + path.path + " Content-Type: " + contentType
          + (contentEncoding == null ? "" : ", Content-Encoding: " + contentEncoding)) + ", " + body.length + " bytes";
    }
  }

  @BeforeAll
  static void start() throws IOException {
    receiver =
        OtlpReceiver.create(
            OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).maxMessageBytes(MAX).build(), sink);
    receiver.start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", receiver.grpcPort(), InsecureChannelCredentials.create())
        .build();
    CompressorRegistry passThrough = CompressorRegistry.newEmptyInstance();
    passThrough.register(
        new Compressor() {
          @Override
          public String getMessageEncoding() {
            return "gzip";
          }

          @Override
          public OutputStream compress(OutputStream os) {
            return os;
          }
        });
    rawGzipChannel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", receiver.grpcPort(), InsecureChannelCredentials.create())
            .compressorRegistry(passThrough)
            .build();
    seeds = new ArrayList<>();
    for (CorpusFile file : corpus()) {
      if (file.name().startsWith("seed-")) {
        String json = new String(file.bytes(), StandardCharsets.UTF_8);
        Message.Builder builder = file.kind().request.get();
        try {
          OtlpJson.merge(file.bytes(), builder);
        } catch (OtlpJson.InvalidOtlpJsonException e) {
          throw new IllegalStateException(file.name() + " is not OTLP JSON", e);
        }
        seeds.add(new Seed(file.kind(), builder.build(), json));
      }
    }
    assertThat(seeds).extracting(Seed::kind).contains(Kind.values());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    rawGzipChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receiver.shutdown();
  }

  record CorpusFile(Kind kind, String name, byte[] bytes) {
    boolean json() {
      return name.endsWith(".json") || name.endsWith(".json.gz");
    }

    boolean gzip() {
      return name.endsWith(".gz");
    }
  }

  static List<CorpusFile> corpus() throws IOException {
    List<CorpusFile> files = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      URL dir = OtlpFuzzTest.class.getResource("/fuzz/otlp/" + kind.name().toLowerCase(Locale.ROOT));
      if (dir == null) {
        continue;
      }
      try (Stream<Path> list = Files.list(Paths.get(dir.toURI()))) {
        for (Path p : list.sorted().toList()) {
          files.add(new CorpusFile(kind, p.getFileName().toString(), Files.readAllBytes(p)));
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return files;
  }

  // ---- the oracle --------------------------------------------------------------------------------

  /** What the receiver must answer: a status, and for a 200 the request it must have understood. */
  record Expected(int httpStatus, Status.Code grpcCode, @Nullable Message request, @Nullable String walkProblem) {
    Expected(int httpStatus, Status.Code grpcCode, @Nullable Message request) {
      this(httpStatus, grpcCode, request, null);
    }
  }

  static Expected expect(Input input) {
    if (input.grpc()) {
      byte[] message = input.body;
      if (message.length > MAX) {
        return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
      }
      // gRPC sends an empty message uncompressed, whatever the call's compression.
      if (input.transport == Transport.GRPC_RAW_GZIP && message.length > 0) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
          message = in.readNBytes(MAX + 1);
        } catch (IOException e) {
          return new Expected(400, Status.Code.INVALID_ARGUMENT, null);
        }
        if (message.length > MAX) {
          return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
        }
      }
      return parse(input.path, message, false);
    }
    String media = input.contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals(PROTOBUF) && !media.equals(JSON)) {
      return new Expected(415, Status.Code.INVALID_ARGUMENT, null);
    }
    // A Content-Length over the limit is refused before anything else is looked at.
    if (input.transport != Transport.HTTP_CHUNKED && input.body.length > MAX) {
      return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
    }
    String encoding = input.contentEncoding == null ? "identity" : input.contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (!List.of("", "identity", "gzip", "x-gzip").contains(encoding)) {
      return new Expected(415, Status.Code.INVALID_ARGUMENT, null);
    }
    byte[] body = input.body;
    if (!encoding.contains("gzip") && body.length > MAX) {
      return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
    }
    if (encoding.contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new WireLimit(body))) {
        body = in.readNBytes(MAX + 1);
      } catch (WireLimit.Exceeded e) {
        return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
      } catch (IOException e) {
        return new Expected(400, Status.Code.INVALID_ARGUMENT, null);
      }
      if (body.length > MAX) {
        return new Expected(413, Status.Code.RESOURCE_EXHAUSTED, null);
      }
    }
    return parse(input.path, body, media.equals(JSON));
  }

  /**
   * A body read as the server reads one of unknown length: more than {@code MAX} bytes off the wire fail
   * where decoding stands, so a broken gzip stream that fails earlier is a 400, not a 413.
   */
  private static final class WireLimit extends FilterInputStream {
    private int read;

    WireLimit(byte[] body) {
      super(new ByteArrayInputStream(body));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws Exceeded {
      read += n;
      if (read > MAX) {
        throw new Exceeded();
      }
    }

    static final class Exceeded extends IOException {}
  }

  private static Expected parse(Kind kind, byte[] body, boolean json) {
    String walkProblem = json ? null : walkDisagreement(kind.codec, body);
    if (walkProblem != null) {
      return new Expected(0, Status.Code.UNKNOWN, null, walkProblem);
    }
    Message.Builder builder = kind.request.get();
    try {
      if (json) {
        OtlpJson.merge(body, builder);
      } else {
        builder.mergeFrom(body);
      }
      return new Expected(200, Status.Code.OK, builder.build());
    } catch (InvalidProtocolBufferException | OtlpJson.InvalidOtlpJsonException e) {
      return new Expected(400, Status.Code.INVALID_ARGUMENT, null);
    }
  }

  /** Protobuf bodies the wire walk accepted, and the well-formed all-valid ones it left to the full path. */
  private static long walkAccepted;
  private static long walkFellBackOnValid;

  /**
   * The receiver's fast path against its full path on the same bytes: when the wire walk accepts a
   * request, protobuf must parse it, validate() must keep every item, and the counts must agree.
   */
  static @Nullable String walkDisagreement(OtlpCodec<?, ?> codec, byte[] body) {
    long walked = codec.walkValid(body);
    Validated<?> validated;
    try {
      validated = parseAndValidate(codec, body);
    } catch (InvalidProtocolBufferException e) {
      return walked < 0 ? null : "wire walk accepted " + walked + " items of a request protobuf refuses: " + e.getMessage();
    }
    if (walked < 0) {
      if (!validated.changed()) {
        walkFellBackOnValid++;
      }
      return null;
    }
    walkAccepted++;
    if (validated.changed() || validated.rejectedItems() != 0) {
      return "wire walk accepted a request validate() rejects items of: " + validated.errorMessage();
    }
    if (validated.keptItems() != walked) {
      return "wire walk counted " + walked + " items, validate() " + validated.keptItems();
    }
    return null;
  }

  private static <Req extends Message> Validated<Req> parseAndValidate(OtlpCodec<Req, ?> codec, byte[] body)
      throws InvalidProtocolBufferException {
    return codec.validate(codec.parse(body));
  }

  /** Checks one answer; returns what is wrong, or null. */
  static @Nullable String check(Input input, Expected expected, int status, @Nullable String contentType, byte[] body) {
    boolean jsonAnswer = !input.grpc() && !input.contentType.split(";", 2)[0].trim().equalsIgnoreCase(PROTOBUF);
    if (status != expected.httpStatus) {
      return "status " + status + " (expected: " + expected.httpStatus + "): " + preview(body);
    }
    if (!input.grpc()) {
      String want = jsonAnswer ? JSON : PROTOBUF;
      if (contentType == null || !contentType.startsWith(want)) {
        return "answer Content-Type " + contentType + " (expected: " + want + ")";
      }
    }
    try {
      if (status != 200) {
        com.google.rpc.Status.Builder error = com.google.rpc.Status.newBuilder();
        merge(error, body, jsonAnswer);
        if (error.getMessage().isBlank() || error.getCode() != expected.grpcCode.value()) {
          return "error body " + error + " (expected: code " + expected.grpcCode + " and a message)";
        }
        return null;
      }
      Message.Builder response = input.path.response.get();
      merge(response, body, jsonAnswer);
      return checkAccounting(input.path, expected.request, response.build());
    } catch (IOException e) {
      return "unreadable answer body (" + e.getMessage() + "): " + preview(body);
    }
  }

  private static void merge(Message.Builder builder, byte[] body, boolean json) throws IOException {
    if (json) {
      JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), builder);
    } else {
      builder.mergeFrom(body);
    }
  }

  /** admitted + rejected = sent; a rejection says why; nothing invalid admitted. */
  private static @Nullable String checkAccounting(Kind kind, @Nullable Message request, Message response) {
    FieldDescriptor partialField = response.getDescriptorForType().findFieldByName("partial_success");
    Message partial = (Message) response.getField(partialField);
    long rejected = (Long) partial.getField(partial.getDescriptorForType().getFields().get(0));
    String message = (String) partial.getField(partial.getDescriptorForType().findFieldByName("error_message"));
    long sent = kind.items(request);
    long admitted = 0;
    for (RecordingSink.Admitted a : sink.admitted(kind.signal)) {
      Message parsed;
      try {
        parsed = kind.parseProtobuf(a.bytes());
      } catch (InvalidProtocolBufferException e) {
        return "admitted bytes are not a " + kind + " request";
      }
      if (a.itemCount() != kind.items(parsed)) {
        return "admitted with item count " + a.itemCount() + " but holds " + kind.items(parsed);
      }
      String invalid = kind.invalidItem(parsed);
      if (invalid != null) {
        return invalid;
      }
      admitted += a.itemCount();
    }
    if (admitted + rejected != sent) {
      return "admitted " + admitted + " + rejected " + rejected + " != sent " + sent;
    }
    if (rejected > 0 && message.isBlank()) {
      return "rejected " + rejected + " items without saying why";
    }
    return null;
  }

  private static String preview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  // ---- sending -----------------------------------------------------------------------------------

  /** Runs one input (over the network or in-process) and checks the answer; returns what is wrong, or null. */
  static @Nullable String run(Input input) {
    sink.clear();
    Expected expected;
    try {
      expected = expect(input);
    } catch (RuntimeException | StackOverflowError e) {
      return "the oracle's own parser threw " + e;
    }
    if (expected.walkProblem != null) {
      return expected.walkProblem;
    }
    outcomes.merge(input.transport + " " + (input.grpc() ? expected.grpcCode : expected.httpStatus), 1L, Long::sum);
    return input.transport == Transport.IN_PROCESS ? callInProcess(input, expected) : send(input, expected);
  }

  private static @Nullable String send(Input input, Expected expected) {
    if (input.grpc()) {
      CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
      if (input.transport != Transport.GRPC) {
        options = options.withCompression("gzip");
      }
      ManagedChannel via = input.transport == Transport.GRPC_RAW_GZIP ? rawGzipChannel : channel;
      try {
        byte[] response = ClientCalls.blockingUnaryCall(via, input.path.grpcMethod, options, input.body);
        return check(input, expected, 200, null, response);
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code != expected.grpcCode) {
          return "gRPC " + code + " " + e.getStatus().getDescription() + " (expected: " + expected.grpcCode + ")";
        }
        return e.getStatus().getDescription() == null ? "gRPC " + code + " without a description" : null;
      }
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + input.path.path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", input.contentType)
            .POST(input.transport == Transport.HTTP_CHUNKED
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(input.body))
                : HttpRequest.BodyPublishers.ofByteArray(input.body));
    if (input.contentEncoding != null) {
      request.header("Content-Encoding", input.contentEncoding);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return check(input, expected, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
          response.body());
    } catch (IOException e) {
      if (input.transport == Transport.HTTP && input.body.length > 2L * MAX && expected.httpStatus == 413) {
        // By design: a body announced beyond what the receiver drains (2 x the limit) is not read, and
        // the connection is closed after the 413; a client still sending may see the reset instead.
        outcomes.merge("HTTP reset after 413 beyond the drain bound", 1L, Long::sum);
        return null;
      }
      return "no answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  // ---- the tests ---------------------------------------------------------------------------------

  @Test
  void corpus_everyRegressionInputAnsweredAsSpecified() throws IOException {
    List<String> findings = new ArrayList<>();
    for (CorpusFile file : corpus()) {
      String contentType = file.json() ? JSON : PROTOBUF;
      List<Input> inputs = new ArrayList<>();
      inputs.add(new Input(file.kind(), file.kind(), Transport.HTTP, contentType, file.gzip() ? "gzip" : null, file.bytes()));
      if (!file.json()) {
        Transport grpc = file.gzip() ? Transport.GRPC_RAW_GZIP : Transport.GRPC;
        inputs.add(new Input(file.kind(), file.kind(), grpc, contentType, null, file.bytes()));
      }
      for (Input input : inputs) {
        long rejectedBefore = ReceiverCounts.rejected(receiver, file.kind().signal);
        String problem = run(input);
        if (problem != null) {
          findings.add(file.name() + " via " + input.describe() + ": " + problem);
        } else if (file.name().contains("-partial") && ReceiverCounts.rejected(receiver, file.kind().signal) == rejectedBefore) {
          findings.add(file.name() + " via " + input.describe() + ": accepted whole (expected: partial success)");
        }
      }
      if (file.name().startsWith("seed-")) {
        // Seeds are valid through and through: mutations start from a request that is accepted whole.
        sink.clear();
        assertThat(run(inputs.getFirst())).isNull();
        assertThat(sink.itemCount(file.kind().signal)).as(file.name()).isPositive();
      }
    }
    assertThat(findings).isEmpty();
    for (Seed seed : seeds) {
      // Valid requests take the fast path: the wire walk accepts them with the right count.
      assertThat(seed.kind().codec.walkValid(seed.request().toByteArray()))
          .isEqualTo(seed.kind().items(seed.request()));
    }
    assertServesAValidExport();
  }

  @Test
  void fuzz_httpAndGrpc_everyAnswerAsSpecifiedAndNothingLost() throws IOException {
    long seed = Long.getLong("tskotel.fuzz.seed", 20261201L);
    long inputs = Long.getLong("tskotel.fuzz.inputs", DEFAULT_INPUTS);
    long seconds = Long.getLong("tskotel.fuzz.seconds", 0L);
    long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    Random random = new Random(seed);
    OtlpMutator mutator = new OtlpMutator(random);
    List<String> findings = new ArrayList<>();
    long started = System.nanoTime();
    long sent = 0;
    for (; seconds > 0 ? System.nanoTime() < deadline : sent < inputs; sent++) {
      Input input = generate(random, mutator, sent % 4 != 0);
      String problem = run(input);
      if (problem != null) {
        findings.add(record(findings.size(), seed, sent, input, problem));
        if (findings.size() >= MAX_FINDINGS) {
          break;
        }
      }
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "OTLP fuzz: %d inputs (seed %d) in %.1f s, %d findings; answers %s%n",
        sent, seed, elapsed, findings.size(), outcomes);
    System.out.printf(Locale.ROOT, "OTLP fuzz: wire walk accepted %d protobuf bodies (full path agreed on each),"
        + " left %d valid ones to the full path%n", walkAccepted, walkFellBackOnValid);
    assertThat(findings).isEmpty();
    assertServesAValidExport();
  }

  private static Input generate(Random random, OtlpMutator mutator, boolean inProcess) {
    Seed seed = seeds.get(random.nextInt(seeds.size()));
    Kind path = random.nextInt(20) == 0 ? Kind.values()[random.nextInt(3)] : seed.kind;
    boolean grpc = !inProcess && random.nextInt(3) == 0;
    boolean json = !grpc && random.nextBoolean();
    Seed other = seeds.get(random.nextInt(seeds.size()));
    byte[] body;
    int r = random.nextInt(100);
    if (r < 4) {
      body = mutator.noise();
    } else if (json) {
      String text = seed.json != null && random.nextInt(4) == 0
          ? seed.json
          : OtlpMutator.toOtlpJson(random.nextInt(4) == 0 ? seed.request : mutator.mutate(seed.request),
              random.nextInt(5) == 0);
      if (random.nextInt(10) < 6) {
        text = mutator.mutateJson(text);
      }
      body = OtlpMutator.utf8(text);
      if (random.nextInt(4) == 0) {
        body = mutator.mutateBytes(body, OtlpMutator.utf8(other.json == null ? "" : other.json));
      }
    } else {
      body = (random.nextInt(5) == 0 ? seed.request : mutator.mutate(seed.request)).toByteArray();
      if (random.nextInt(3) == 0) {
        body = mutator.mutateBytes(body, other.request.toByteArray());
      }
    }
    if (grpc) {
      int g = random.nextInt(10);
      if (g < 2) {
        byte[] gz = gzip(body);
        return new Input(seed.kind, path, Transport.GRPC_RAW_GZIP, PROTOBUF, null,
            g == 0 ? gz : mutator.mutateBytes(gz, new byte[0]));
      }
      return new Input(seed.kind, path, g < 4 ? Transport.GRPC_GZIP : Transport.GRPC, PROTOBUF, null, body);
    }
    String contentType = json ? JSON : PROTOBUF;
    int t = random.nextInt(20);
    if (inProcess) {
      // The handler's own header checks are the network runs' job; here volume goes to the body code.
      boolean gzip = random.nextInt(8) == 0;
      return new Input(seed.kind, path, Transport.IN_PROCESS, contentType, gzip ? "gzip" : null,
          gzip ? gzip(body) : body);
    }
    if (t == 0) {
      contentType = ODD_CONTENT_TYPES[random.nextInt(ODD_CONTENT_TYPES.length)];
    } else if (t == 1) {
      contentType = contentType + "; charset=utf-8";
    } else if (t == 2) {
      contentType = contentType.toUpperCase(Locale.ROOT);
    }
    String encoding = null;
    int e = random.nextInt(20);
    if (e < 3) {
      encoding = "gzip";
      body = gzip(body);
      if (e == 0) {
        body = mutator.mutateBytes(body, new byte[0]);
      }
    } else if (e == 3) {
      encoding = ODD_ENCODINGS[random.nextInt(ODD_ENCODINGS.length)];
      if (encoding.contains("gzip") && random.nextBoolean()) {
        body = gzip(body);
      }
    }
    Transport transport = random.nextInt(10) == 0 ? Transport.HTTP_CHUNKED : Transport.HTTP;
    return new Input(seed.kind, path, transport, contentType, encoding, body);
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The body code of the OTLP/HTTP handler called directly — bounded decoding, protobuf or OTLP JSON
   * parsing, validation, partial success, ingest — so that most inputs skip the network. The answer
   * is checked like one that came over the wire.
   */
  private static @Nullable String callInProcess(Input input, Expected expected) {
    boolean json = input.contentType.startsWith(JSON);
    OtlpCodec<?, ?> codec = input.path.codec;
    Answer answer;
    try {
      byte[] body =
          BoundedBody.read(new ByteArrayInputStream(input.body), input.contentEncoding, input.body.length, MAX);
      answer = ingest(codec, input.path.request.get(), body, json);
    } catch (BoundedBody.TooLargeException e) {
      answer = new Answer(413, null);
    } catch (BoundedBody.UnsupportedEncodingException e) {
      answer = new Answer(415, null);
    } catch (BoundedBody.MalformedBodyException | IOException e) {
      answer = new Answer(400, null);
    } catch (RuntimeException | StackOverflowError e) {
      return "threw " + e + " (a 500 over the wire)";
    }
    if (answer.response == null) {
      return answer.status == expected.httpStatus
          ? null
          : "status " + answer.status + " (expected: " + expected.httpStatus + ")";
    }
    byte[] bytes = json ? OtlpMutator.utf8(OtlpJson.print(answer.response)) : answer.response.toByteArray();
    return check(input, expected, answer.status, json ? JSON : PROTOBUF, bytes);
  }

  /** An in-process status and, for a 200, the response the handler would send. */
  private record Answer(int status, @Nullable Message response) {}

  private static <Req extends Message> Answer ingest(
      OtlpCodec<Req, ?> codec, Message.Builder builder, byte[] body, boolean json) {
    IngestResult result;
    try {
      if (json) {
        OtlpJson.merge(body, builder);
        @SuppressWarnings("unchecked")
        Req parsed = (Req) builder.build();
        result = INGEST.ingest(codec, parsed, null);
      } else {
        result = INGEST.ingestProtobuf(codec, body);
      }
    } catch (InvalidProtocolBufferException | OtlpJson.InvalidOtlpJsonException e) {
      return new Answer(400, null);
    }
    return switch (result) {
      case IngestResult.Done done -> new Answer(200, codec.response(done.rejectedItems(), done.errorMessage()));
      case IngestResult.RetryLater retry -> new Answer(503, null);
      case IngestResult.Failed failed -> new Answer(500, null);
    };
  }

  /** Writes a finding's input under target/fuzz-findings and says how to replay it. */
  private static String record(int index, long seed, long iteration, Input input, String problem) throws IOException {
    Path dir = Paths.get("target", "fuzz-findings");
    Files.createDirectories(dir);
    String ext = input.grpc() || input.contentType.toLowerCase(Locale.ROOT).contains("protobuf") ? ".pb" : ".json";
    if ("gzip".equals(input.contentEncoding) || input.transport == Transport.GRPC_RAW_GZIP) {
      ext += ".gz";
    }
    Path file = dir.resolve("crash-" + seed + "-" + iteration + ext);
    Files.write(file, input.body);
    return "#" + index + " input " + iteration + " (" + input.describe() + ", saved as " + file + "): " + problem;
  }

  private static void assertServesAValidExport() {
    sink.clear();
    for (Seed seed : seeds) {
      byte[] body = seed.request.toByteArray();
      assertThat(run(new Input(seed.kind, seed.kind, Transport.HTTP, PROTOBUF, null, body))).isNull();
      assertThat(run(new Input(seed.kind, seed.kind, Transport.GRPC, PROTOBUF, null, body))).isNull();
    }
  }
}
