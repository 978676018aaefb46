package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** JSON POSTs on one kept {@link HttpClient}, with the channels' error mapping. */
public final class HttpPost {
  private final HttpClient http;
  private final Duration timeout;

  public HttpPost(HttpClient http, Duration timeout) {
    this.http = requireNonNull(http, "http");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** POSTs {@code json} to {@code url} with {@code headers}; an answer other than 2xx is a SendException. */
  public void json(String channel, URI url, String json, Map<String, String> headers) throws SendException {
    HttpRequest.Builder req = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(req::header);
    HttpResponse<Void> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // The exception's text may hold the URL, a secret for Slack: only its kind is reported.
      throw new SendException(channel + ": " + e.getClass().getSimpleName(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendException(channel + ": interrupted", true);
    }
    SendException.checkStatus(channel, resp.statusCode());
  }
}
