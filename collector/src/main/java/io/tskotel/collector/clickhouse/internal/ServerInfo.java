package io.tskotel.collector.clickhouse.internal;

/** What the endpoint says about itself in headers and error bodies. */
final class ServerInfo {
  /** The embedded engine's ClickHouse version line (chDB 26.7). */
  static final String VERSION = "26.7.3.1";
  static final String DISPLAY_NAME = "tskotel";

  private ServerInfo() {}
}
