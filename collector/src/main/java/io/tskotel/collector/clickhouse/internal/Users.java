package io.tskotel.collector.clickhouse.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.SecretDigest;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint's two users. Names and passwords are hashed (as the receivers' bearer tokens are) and
 * compared in constant time, both of them
 * for every user, so the time an answer takes says nothing about which part was wrong.
 */
final class Users {
  enum Role {
    READ_ONLY,
    WRITER
  }

  private final Credential readOnly;
  private final @Nullable Credential writer;

  Users(String readOnlyUser, String readOnlyPassword, @Nullable String writerUser, @Nullable String writerPassword) {
    this.readOnly = new Credential(sha256(readOnlyUser), sha256(readOnlyPassword));
    this.writer = writerUser == null || writerPassword == null
        ? null
        : new Credential(sha256(writerUser), sha256(writerPassword));
  }

  /** The role these credentials log in as, or null when they match no user. */
  @Nullable Role authenticate(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    byte[] u = sha256(user);
    byte[] p = sha256(password);
    boolean isReadOnly = readOnly.matches(u, p);
    // Compared even when the read-only user matched, so both paths take the same time.
    boolean isWriter = writer != null && writer.matches(u, p);
    if (isWriter) {
      return Role.WRITER;
    }
    return isReadOnly ? Role.READ_ONLY : null;
  }

  private record Credential(byte[] user, byte[] password) {
    boolean matches(byte[] u, byte[] p) {
      // Non-short-circuit &: both comparisons always run.
      return MessageDigest.isEqual(user, u) & MessageDigest.isEqual(password, p);
    }
  }

  private static byte[] sha256(String s) {
    return SecretDigest.sha256(s);
  }

  @Override
  public String toString() {
    return "Users[redacted]";
  }
}
