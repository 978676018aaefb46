package io.tskotel.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Reads one signal's written-item count and queue depth from the collector's {@code /status}. */
final class StatusFollower implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One reading; {@code queueRecords} is -1 when the status has no queue depth. */
  record Reading(long writtenItems, long queueRecords, long atNanos) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI url;
  private final @Nullable String token;
  private final String signal;

  StatusFollower(URI url, @Nullable String token, LoadConfig.Signal signal) {
    this.url = url;
    this.token = token;
    this.signal = signal.name().toLowerCase(Locale.ROOT);
  }

  Reading read() throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered HTTP " + response.statusCode());
    }
    JsonNode signals = MAPPER.readTree(response.body()).findValue("signals");
    JsonNode s = signals == null ? null : signals.get(signal);
    if (s == null || !s.has("written_items")) {
      throw new IOException(url + " has no signals." + signal + ".written_items");
    }
    return new Reading(s.get("written_items").asLong(), s.path("queue_records").asLong(-1), System.nanoTime());
  }

  @Override
  public void close() {
    http.close();
  }
}
