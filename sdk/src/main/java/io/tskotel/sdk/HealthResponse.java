package io.tskotel.sdk;

import static java.util.Objects.requireNonNull;

/**
 * What {@code /health}, {@code /ready} or {@code /live} answers (see {@link TskTelemetry#healthResponse}), for
 * mounting in any HTTP framework: write {@code statusCode}, {@code Content-Type: application/json} and {@code body}.
 *
 * @param statusCode 200 when healthy, 503 when not, 404 for another path
 * @param body the JSON document
 */
public record HealthResponse(int statusCode, String body) {
  public HealthResponse {
    requireNonNull(body, "body");
  }

  public static final String CONTENT_TYPE = "application/json";
}
