package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "BearerAuth[redacted]";
  }
}
