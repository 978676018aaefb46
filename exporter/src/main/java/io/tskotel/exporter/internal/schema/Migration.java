package io.tskotel.exporter.internal.schema;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One numbered schema change: a SQL resource whose statements are each idempotent ({@code IF NOT EXISTS}),
 * so a migration interrupted half way is simply run again.
 */
public record Migration(int version, String name, SqlTemplate template) {
  public Migration {
    if (version < 1) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
    }
    requireNonNull(name, "name");
    requireNonNull(template, "template");
  }

  public List<String> statements(SchemaSettings settings) {
    return template.render(settings);
  }

  /** SHA-256 of the file, recorded with the version to show which text was applied. */
  public String checksum() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(template.text().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
