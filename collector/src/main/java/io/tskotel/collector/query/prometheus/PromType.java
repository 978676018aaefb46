package io.tskotel.collector.query.prometheus;

/** The {@code # TYPE} of a metric family in the text exposition format 0.0.4. */
enum PromType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  SUMMARY("summary");

  private final String text;

  PromType(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }
}
