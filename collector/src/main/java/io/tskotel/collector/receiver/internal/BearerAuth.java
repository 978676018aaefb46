package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.SecretDigest;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * Checks an {@code Authorization: Bearer <token>} value. Both sides are hashed first so the
 * comparison takes the same time whatever the presented token's length or content.
 */
public final class BearerAuth {
  private static final String SCHEME = "bearer ";

  private final byte[] expectedDigest;

  public BearerAuth(String token) {
    requireNonNull(token, "token");
    this.expectedDigest = sha256(token);
  }

  public boolean allows(@Nullable String authorizationHeader) {
    String presented = "";
    if (authorizationHeader != null
        && authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      presented = authorizationHeader.substring(SCHEME.length()).trim();
    }
    // Always compare, even for a missing header, so timing tells nothing.
    return MessageDigest.isEqual(expectedDigest, sha256(presented)) && !presented.isEmpty();
  }

  private static byte[] sha256(String s) {
    return SecretDigest.sha256(s);
  }

  @Override
  public String toString() {
    return "BearerAuth[redacted]";
  }
}
