package io.tskotel.collector.alert.internal;

import java.util.List;

/** A notification channel: sends the notices of one group at once (one chat message, one mail, ...). */
public interface Channel {
  /** {@code email}, {@code slack}, {@code pagerduty} or {@code webhook}. */
  String name();

  void send(List<Notice> notices) throws SendException;
}
