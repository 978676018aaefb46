package io.tskotel.collector.alert.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A generic JSON webhook: one POST per alert. With a secret, the header {@value #SIGNATURE_HEADER} carries
 * {@code sha256=} and the hex HMAC-SHA256 of the body under the secret, so the receiver can check the sender.
 */
public final class WebhookChannel implements Channel {
  public static final String SIGNATURE_HEADER = "X-Tskotel-Signature";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpPost http;
  private final URI url;
  private final @Nullable String secret;

  public WebhookChannel(HttpPost http, String url, @Nullable String secret) {
    this.http = http;
    this.url = URI.create(url);
    this.secret = secret;
  }

  @Override
  public String name() {
    return "webhook";
  }

  /** {@code {"status","fingerprint","type","severity","message","value","threshold","labels","started_at","resolved_at"}}. */
  public static String payload(Notice n) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", n.status());
    body.put("fingerprint", n.fingerprint());
    body.put("type", n.type());
    body.put("severity", n.severity());
    body.put("message", n.message());
    body.put("value", n.value());
    body.put("threshold", n.threshold());
    body.put("labels", new TreeMap<>(n.labels()));
    body.put("started_at", DateTimeFormatter.ISO_INSTANT.format(n.startedAt()));
    body.put("resolved_at", n.resolvedAt() == null ? null : DateTimeFormatter.ISO_INSTANT.format(n.resolvedAt()));
    return Jsons.write(JSON, body);
  }

  /** {@code sha256=<hex HMAC-SHA256 of body>}. */
  public static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void send(List<Notice> notices) throws SendException {
    for (Notice n : notices) {
      String body = payload(n);
      http.json(name(), url, body, secret == null ? Map.of() : Map.of(SIGNATURE_HEADER, signature(secret, body)));
    }
  }
}
