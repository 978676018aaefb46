package io.tskotel.collector.alert.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A Slack incoming webhook: one message per group, {@code {"text": ...}} with one line per alert. */
public final class SlackChannel implements Channel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpPost http;
  private final URI url;

  public SlackChannel(HttpPost http, String url) {
    this.http = http;
    this.url = URI.create(url);
  }

  @Override
  public String name() {
    return "slack";
  }

  /** The message body: {@code {"text":"[FIRING] high_cpu (warning): CPU usage is 91% ..."}}. */
  public static String payload(List<Notice> notices) {
    String text = notices.stream().map(Notice::line).collect(Collectors.joining("\n"));
    return Jsons.write(JSON, Map.of("text", text));
  }

  @Override
  public void send(List<Notice> notices) throws SendException {
    http.json(name(), url, payload(notices), Map.of());
  }
}
