package io.tskotel.collector.receiver.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.internal.ServerStream;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a gRPC call before its message was read, and then ends its HTTP/2 stream, as RFC 9113 §8.1 asks of a
 * server that responds before the request is complete.
 *
 * <p>grpc-java's server sends the status (trailers) but no RST_STREAM after it when the client is still sending
 * (grpc-java issue 2162), and grpc-java's Netty client resets such a stream only when it has not half-closed —
 * a unary call half-closes at once, its message still waiting for flow-control credit. So the stream stays open
 * on both sides: the client keeps the unsent rest of its message (megabytes per refused export, for as long as
 * the channel lives) and the bytes the server received for it but never read hold the connection's
 * flow-control window. A few such streams and every call on that connection waits for credit that never comes
 * (the load generator's wedge under a storm of refused 15 MB exports). The reset after the trailers closes the
 * stream: the server gives its unread bytes back to the connection window, and the client drops the rest of
 * its message. The trailers go first (both are written in order on the connection), so the client sees the
 * refusal's status and retry delay.
 *
 * <p>grpc offers no API for it: the call's transport stream is read from grpc-core's {@code ServerCallImpl}. If
 * a grpc version moves it, calls are still answered (trailers only) and one warning says so.
 */
final class GrpcEarlyClose {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcEarlyClose.class);
  private static final @Nullable Field STREAM = streamField();

  private GrpcEarlyClose() {}

  /** Closes {@code call} with {@code status} and resets its stream, before any of its message was asked for. */
  static void closeUnread(ServerCall<?, ?> call, Status status, Metadata trailers) {
    call.close(status, trailers);
    ServerStream stream = stream(call);
    if (stream != null) {
      // RST_STREAM(CANCEL), queued on the connection after the trailers above; the status is only for the
      // server's own bookkeeping (the call is already closed).
      stream.cancel(status);
    }
  }

  /** Whether refused calls' streams are reset (false: this grpc version hides the stream). */
  static boolean resets() {
    return STREAM != null;
  }

  private static @Nullable ServerStream stream(ServerCall<?, ?> call) {
    if (STREAM == null || !STREAM.getDeclaringClass().isInstance(call)) {
      return null;
    }
    try {
      return (ServerStream) STREAM.get(call);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  private static @Nullable Field streamField() {
    try {
      Field field = Class.forName("io.grpc.internal.ServerCallImpl").getDeclaredField("stream");
      if (!ServerStream.class.isAssignableFrom(field.getType())) {
        throw new NoSuchFieldException("stream is a " + field.getType());
      }
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("gRPC calls refused before reading will not reset their streams (this grpc version hides them: {});"
          + " clients sending large messages may wait for flow-control credit until their deadline", e.toString());
      return null;
    }
  }
}
