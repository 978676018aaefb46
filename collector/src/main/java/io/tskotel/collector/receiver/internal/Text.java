package io.tskotel.collector.receiver.internal;

/** Keeps client-supplied strings short in messages and logs. */
final class Text {
  private static final int MAX = 64;

  private Text() {}

  static String clip(String s) {
    return s.length() <= MAX ? s : s.substring(0, MAX) + "…";
  }
}
