package io.tskotel.collector.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A small client of the admin HTTP API for the CLI commands. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The API answered with an error, or could not be reached. */
  static final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    ApiException(String message) {
      super(message);
    }
  }

  private final String base;
  private final @Nullable String token;
  private final HttpClient http;

  ApiClient(String baseUrl, @Nullable String token) {
    requireNonNull(baseUrl, "baseUrl");
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token == null || token.isBlank() ? null : token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  static String pathSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** GETs {@code path} (already encoded) with {@code query} (encoded here); returns the raw body. */
  String getText(String path, Map<String, String> query) throws ApiException {
    return send("GET", path, List.copyOf(query.entrySet()));
  }

  /** POSTs (no body) to {@code path} with {@code query}; returns the JSON answer. */
  JsonNode post(String path, Map<String, String> query) throws ApiException {
    return json(send("POST", path, List.copyOf(query.entrySet())));
  }

  /** GETs {@code path} with {@code query}, whose names may repeat ({@code attr=a=1&attr=b=2}). */
  JsonNode get(String path, List<Map.Entry<String, String>> query) throws ApiException {
    return json(send("GET", path, query));
  }

  private String send(String method, String path, List<Map.Entry<String, String>> query) throws ApiException {
    StringBuilder url = new StringBuilder(base).append(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query) {
      url.append(sep)
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    URI uri;
    try {
      uri = URI.create(url.toString());
    } catch (IllegalArgumentException e) {
      throw new ApiException("bad URL " + url + ": " + e.getMessage());
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> resp;
    try {
      req.method(method, HttpRequest.BodyPublishers.noBody());
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new ApiException("cannot connect to " + base + " (is the collector running? see --url)");
    } catch (IOException e) {
      throw new ApiException("request to " + base + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    }
    if (resp.statusCode() / 100 != 2) {
      String message = resp.body();
      try {
        JsonNode error = JSON.readTree(resp.body()).get("error");
        if (error != null) {
          message = error.asText();
        }
      } catch (IOException e) {
        // not JSON: show the body as it is
      }
      throw new ApiException("HTTP " + resp.statusCode() + ": " + message);
    }
    return resp.body();
  }

  JsonNode get(String path, Map<String, String> query) throws ApiException {
    return json(getText(path, query));
  }

  private static JsonNode json(String body) throws ApiException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiException("the API answered something that is not JSON: " + e.getMessage());
    }
  }
}
