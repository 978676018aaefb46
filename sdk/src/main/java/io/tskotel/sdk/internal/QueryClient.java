package io.tskotel.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The seed's {@code get_metrics} answered by the collector: {@code GET /api/v1/metrics/{name}} on its admin API. */
public final class QueryClient {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public QueryClient(URI base, String token) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b : b + "/");
    this.token = token;
  }

  public List<Double> getMetrics(String name, String range, String aggregation, Map<String, String> labels) {
    StringBuilder q = new StringBuilder("api/v1/metrics/").append(encode(name))
        .append("?range=").append(encode(range)).append("&agg=").append(encode(aggregation));
    labels.forEach((k, v) -> q.append("&label.").append(encode(k)).append('=').append(encode(v)));
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(q.toString())).timeout(TIMEOUT).GET();
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("get_metrics: cannot reach the collector at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("get_metrics: interrupted", e);
    }
    try {
      if (response.statusCode() == 400) {
        throw new IllegalArgumentException("get_metrics: " + error(response.body()));
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "get_metrics: the collector answered HTTP " + response.statusCode() + ": " + error(response.body()));
      }
      return values(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("get_metrics: unreadable answer from the collector", e);
    }
  }

  private static List<Double> values(String body) throws IOException {
    List<Double> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("values") && t == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getValueAsDouble());
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return List.copyOf(out);
  }

  private static String error(@Nullable String body) {
    if (body == null) {
      return "";
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("error")) {
            return p.getValueAsString();
          }
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // not JSON: show the start of it
    }
    return body.length() > 200 ? body.substring(0, 200) : body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
