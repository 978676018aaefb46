package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpAuthTest {
  private static final String TOKEN = "Zm9vYmFy-token";
  private static final RecordingSink sink = new RecordingSink();
  private static final HttpClient client = HttpClient.newHttpClient();
  private static OtlpReceiver receiver;

  @BeforeAll
  static void start() {
    receiver =
        OtlpReceiver.create(
            OtlpReceiverConfig.builder()
                .host("127.0.0.1")
                .grpcEnabled(false)
                .httpPort(0)
                .authToken(TOKEN)
                .build(),
            sink);
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.shutdown();
  }

  @BeforeEach
  void clear() {
    sink.clear();
  }

  private static HttpResponse<byte[]> post(@Nullable String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(traces(validSpan("auth", 1)).toByteArray()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void export_missingWrongOrOtherSchemeToken_401() throws Exception {
    for (String authorization : new String[] {null, "Bearer wrong", "Basic " + TOKEN, "Bearer ", TOKEN}) {
      HttpResponse<byte[]> response = post(authorization);

      assertThat(response.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(com.google.rpc.Status.parseFrom(response.body()).getCode())
          .isEqualTo(com.google.rpc.Code.UNAUTHENTICATED_VALUE);
    }
    assertThat(sink.spans()).isEmpty();
    assertThat(ReceiverCounts.unauthenticated(receiver)).isGreaterThanOrEqualTo(5);
    assertThat(post("Bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void export_rightToken_200AnySchemeCase() throws Exception {
    assertThat(post("Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(post("bearer " + TOKEN).statusCode()).isEqualTo(200);

    assertThat(sink.spans()).extracting(Span::getName).containsExactly("auth", "auth");
  }
}
