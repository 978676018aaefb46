package io.tskotel.collector.receiver;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the OTLP receivers. OTLP ports bind all interfaces by default: they are the
 * collector's front door, unlike its admin surfaces.
 *
 * <p>{@link #authToken} is a secret: it comes from the environment through the TSK config and is
 * never printed ({@link #toString} redacts it). A blank token means no authentication.
 *
 * @param grpcEnabled whether the OTLP/gRPC listener runs
 * @param grpcHost the interface the gRPC listener binds
 * @param grpcPort the gRPC port; 0 picks a free one (see {@link OtlpReceiver#grpcPort()})
 * @param httpEnabled whether the OTLP/HTTP listener runs
 * @param httpHost the interface the HTTP listener binds
 * @param httpPort the HTTP port; 0 picks a free one (see {@link OtlpReceiver#httpPort()})
 * @param maxMessageBytes the largest request accepted, counted after decompression
 * @param maxBytesInFlight the bytes all requests being read or ingested may hold together, over both
 *     listeners ({@link RequestBudget}); a request beyond it is refused retryably before it is read
 * @param grpcFlowControlWindow the HTTP/2 flow-control window of the gRPC listener, per stream and per
 *     connection, fixed (no automatic growth): what a connection's client may send before the collector reads
 *     it, so it bounds the bytes of calls waiting to be admitted or refused, per connection
 * @param grpcMaxConcurrentStreams the calls one gRPC connection may have open at once (HTTP/2
 *     {@code MAX_CONCURRENT_STREAMS}); 0 = no limit
 * @param authToken the bearer token clients must present, or null for none
 * @param tls TLS for both listeners, or null for plaintext
 */
public record OtlpReceiverConfig(
    boolean grpcEnabled,
    String grpcHost,
    int grpcPort,
    boolean httpEnabled,
    String httpHost,
    int httpPort,
    int maxMessageBytes,
    long maxBytesInFlight,
    int grpcFlowControlWindow,
    int grpcMaxConcurrentStreams,
    @Nullable String authToken,
    @Nullable TlsConfig tls) {

  /**
   * Loopback only, as the OpenTelemetry Collector binds its receivers since v0.104: exposing them is a
   * decision ({@code [collector] host: "0.0.0.0"}).
   */
  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_GRPC_PORT = 4317;
  public static final int DEFAULT_HTTP_PORT = 4318;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 128L << 20;
  /** grpc-java's initial window, here kept fixed: loopback and LAN links fill it many times over per second. */
  public static final int DEFAULT_GRPC_FLOW_CONTROL_WINDOW = 1 << 20;
  /** HTTP/2's initial window (RFC 9113 §6.9.2): the smallest a window may be set to here. */
  public static final int MIN_GRPC_FLOW_CONTROL_WINDOW = 65_535;

  public OtlpReceiverConfig {
    requireNonNull(grpcHost, "grpcHost");
    requireNonNull(httpHost, "httpHost");
    if (authToken != null && authToken.isBlank()) {
      // "@env("TOKEN", "")" is how a config says "no auth unless the variable is set".
      authToken = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static OtlpReceiverConfig defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .grpcEnabled(grpcEnabled)
        .grpcHost(grpcHost)
        .grpcPort(grpcPort)
        .httpEnabled(httpEnabled)
        .httpHost(httpHost)
        .httpPort(httpPort)
        .maxMessageBytes(maxMessageBytes)
        .maxBytesInFlight(maxBytesInFlight)
        .grpcFlowControlWindow(grpcFlowControlWindow)
        .grpcMaxConcurrentStreams(grpcMaxConcurrentStreams)
        .authToken(authToken)
        .tls(tls);
  }

  public boolean authEnabled() {
    return authToken != null;
  }

  /** Every problem at once, each as {@code "field: value (expected: …)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    checkHost(errors, "grpcHost", grpcHost);
    checkPort(errors, "grpcPort", grpcPort);
    checkHost(errors, "httpHost", httpHost);
    checkPort(errors, "httpPort", httpPort);
    if (grpcEnabled
        && httpEnabled
        && grpcPort != 0
        && grpcPort == httpPort
        && grpcHost.equals(httpHost)) {
      errors.add("httpPort: " + httpPort + " (expected: different from grpcPort on the same host)");
    }
    if (maxMessageBytes <= 0) {
      errors.add("maxMessageBytes: " + maxMessageBytes + " (expected: > 0)");
    }
    if (maxBytesInFlight < maxMessageBytes) {
      // Else a request of the largest allowed size could never be read.
      errors.add("maxBytesInFlight: " + maxBytesInFlight + " (expected: >= maxMessageBytes " + maxMessageBytes
          + ")");
    }
    if (grpcFlowControlWindow < MIN_GRPC_FLOW_CONTROL_WINDOW) {
      errors.add("grpcFlowControlWindow: " + grpcFlowControlWindow + " (expected: >= " + MIN_GRPC_FLOW_CONTROL_WINDOW
          + ")");
    }
    if (grpcMaxConcurrentStreams < 0) {
      errors.add("grpcMaxConcurrentStreams: " + grpcMaxConcurrentStreams + " (expected: >= 0, 0 = no limit)");
    }
    if (tls != null) {
      errors.addAll(tls.validate("tls."));
    }
    return errors;
  }

  /** Throws {@link IllegalArgumentException} listing every problem {@link #validate} finds. */
  public OtlpReceiverConfig requireValid() {
    List<String> errors = validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid OTLP receiver config: " + String.join("; ", errors));
    }
    return this;
  }

  private static void checkHost(List<String> errors, String field, String host) {
    if (host.isBlank()) {
      errors.add(field + ": '" + host + "' (expected: an interface address or host name)");
    }
  }

  private static void checkPort(List<String> errors, String field, int port) {
    if (port < 0 || port > 65535) {
      errors.add(field + ": " + port + " (expected: 0..65535)");
    }
  }

  @Override
  public String toString() {
    return "OtlpReceiverConfig[grpc="
        + (grpcEnabled ? grpcHost + ":" + grpcPort : "off")
        + ", http="
        + (httpEnabled ? httpHost + ":" + httpPort : "off")
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", maxBytesInFlight="
        + maxBytesInFlight
        + ", grpcFlowControlWindow="
        + grpcFlowControlWindow
        + ", grpcMaxConcurrentStreams="
        + grpcMaxConcurrentStreams
        + ", auth="
        + (authEnabled() ? "bearer(redacted)" : "none")
        + ", tls="
        + (tls == null ? "off" : tls.mutual() ? "mutual" : "on")
        + "]";
  }

  /** Builds an {@link OtlpReceiverConfig}; every field starts at its default. */
  public static final class Builder {
    private boolean grpcEnabled = true;
    private String grpcHost = DEFAULT_HOST;
    private int grpcPort = DEFAULT_GRPC_PORT;
    private boolean httpEnabled = true;
    private String httpHost = DEFAULT_HOST;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private long maxBytesInFlight = DEFAULT_MAX_BYTES_IN_FLIGHT;
    private int grpcFlowControlWindow = DEFAULT_GRPC_FLOW_CONTROL_WINDOW;
    private int grpcMaxConcurrentStreams;
    private @Nullable String authToken;
    private @Nullable TlsConfig tls;

    private Builder() {}

    public Builder grpcEnabled(boolean grpcEnabled) {
      this.grpcEnabled = grpcEnabled;
      return this;
    }

    public Builder grpcHost(String grpcHost) {
      this.grpcHost = requireNonNull(grpcHost, "grpcHost");
      return this;
    }

    public Builder grpcPort(int grpcPort) {
      this.grpcPort = grpcPort;
      return this;
    }

    public Builder httpEnabled(boolean httpEnabled) {
      this.httpEnabled = httpEnabled;
      return this;
    }

    public Builder httpHost(String httpHost) {
      this.httpHost = requireNonNull(httpHost, "httpHost");
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /** Sets both hosts, e.g. {@code "127.0.0.1"} to keep the receivers off the network. */
    public Builder host(String host) {
      return grpcHost(host).httpHost(host);
    }

    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    public Builder maxBytesInFlight(long maxBytesInFlight) {
      this.maxBytesInFlight = maxBytesInFlight;
      return this;
    }

    public Builder grpcFlowControlWindow(int grpcFlowControlWindow) {
      this.grpcFlowControlWindow = grpcFlowControlWindow;
      return this;
    }

    public Builder grpcMaxConcurrentStreams(int grpcMaxConcurrentStreams) {
      this.grpcMaxConcurrentStreams = grpcMaxConcurrentStreams;
      return this;
    }

    public Builder authToken(@Nullable String authToken) {
      this.authToken = authToken;
      return this;
    }

    public Builder tls(@Nullable TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    public OtlpReceiverConfig build() {
      return new OtlpReceiverConfig(
          grpcEnabled,
          grpcHost,
          grpcPort,
          httpEnabled,
          httpHost,
          httpPort,
          maxMessageBytes,
          maxBytesInFlight,
          grpcFlowControlWindow,
          grpcMaxConcurrentStreams,
          authToken,
          tls);
    }
  }
}
