package io.tskotel.collector.alert.internal;

/**
 * A notification a channel could not deliver. The message never holds the channel's URL or credentials
 * (a Slack webhook URL is a secret): it names the channel and what went wrong.
 */
public final class SendException extends Exception {
  private final boolean retryable;

  public SendException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** Whether sending again may succeed (timeouts, 5xx, 429), as opposed to a refusal (other 4xx). */
  public boolean retryable() {
    return retryable;
  }

  /** The verdict on an HTTP answer: nothing on 2xx, retryable on 408, 429 and 5xx, permanent otherwise. */
  public static void checkStatus(String channel, int status) throws SendException {
    if (status / 100 == 2) {
      return;
    }
    throw new SendException(channel + ": HTTP " + status, status == 408 || status == 429 || status >= 500);
  }
}
