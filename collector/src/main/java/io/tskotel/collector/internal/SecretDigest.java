package io.tskotel.collector.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a secret (a token, a user name, a password), so secrets are compared as fixed-length digests
 * with {@link MessageDigest#isEqual}: the time a comparison takes says nothing about the presented value.
 */
public final class SecretDigest {
  private SecretDigest() {}

  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
