package io.tskotel.collector.clickhouse;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;
import static java.util.Objects.requireNonNull;

import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The ClickHouse HTTP endpoint on the embedded store, from the TSK {@code [clickhouse_http]} section: off by
 * default, loopback by default, port 8123. A read-only user is required when it is on; a writer exists only
 * when both its name and password are set. Passwords come through {@code @env} and are never printed.
 *
 * <pre>
 * [clickhouse_http]
 * enabled: true
 * readonly_user: "grafana"
 * readonly_password: @env("TSKOTEL_CH_READONLY_PASSWORD", "")
 * writer_user: "tskotel_writer"
 * writer_password: @env("TSKOTEL_CH_WRITER_PASSWORD", "")
 * </pre>
 */
public final class ClickHouseHttpConfig {
  public static final String SECTION = "clickhouse_http";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8123;

  private final boolean enabled;
  private final String host;
  private final int port;
  private final String readonlyUser;
  private final String readonlyPassword;
  private final String writerUser;
  private final String writerPassword;

  private ClickHouseHttpConfig(Builder b) {
    this.enabled = b.enabled;
    this.host = b.host;
    this.port = b.port;
    this.readonlyUser = b.readonlyUser;
    this.readonlyPassword = b.readonlyPassword;
    this.writerUser = b.writerUser;
    this.writerPassword = b.writerPassword;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@code [clickhouse_http]} section of {@code tsk}, alone (a standalone use, a test); missing keys keep
   * their defaults. {@code tskotel run} reads it through {@code CollectorSettings}, with every other section.
   *
   * @throws io.tskotel.tsk.SettingsException listing every bad value and every problem {@link #validate()} finds
   */
  public static ClickHouseHttpConfig fromTsk(Tsk tsk) {
    return SettingsReader.readOnly(requireNonNull(tsk, "tsk"), ClickHouseHttpConfig::read);
  }

  /**
   * Reads {@code [clickhouse_http]}: a value of the wrong type is an error in {@code r} (with its
   * {@code file:line:col}) and yields the default, and so is every problem {@link #validate()} finds.
   */
  public static ClickHouseHttpConfig read(SettingsReader r) {
    SettingsReader.Section s = r.section(SECTION);
    ClickHouseHttpConfig config = builder()
        .enabled(s.get("enabled", BOOLEAN, false))
        .host(s.get("host", STRING, DEFAULT_HOST))
        .port(s.get("port", INT, DEFAULT_PORT))
        .readonlyUser(s.get("readonly_user", STRING, ""))
        .readonlyPassword(s.get("readonly_password", STRING, ""))
        .writerUser(s.get("writer_user", STRING, ""))
        .writerPassword(s.get("writer_password", STRING, ""))
        .build();
    config.validate().forEach(e -> r.error("[" + SECTION + "] " + e));
    return config;
  }

  /** Every problem with this config, as {@code "field: value (expected: ...)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (host.isBlank()) {
      errors.add("host: \"\" (expected: an address such as 127.0.0.1)");
    }
    if (port < 0 || port > 65535) {
      errors.add("port: " + port + " (expected: 0..65535, 0 = any free port)");
    }
    if (!enabled) {
      return errors;
    }
    if (readonlyUser.isBlank()) {
      errors.add("readonly_user: \"\" (expected: a user name; the endpoint always requires a login)");
    } else if (!USER_NAME.matcher(readonlyUser).matches()) {
      errors.add("readonly_user: \"" + readonlyUser + "\" (expected: letters, digits, _ . -)");
    }
    if (readonlyPassword.isEmpty()) {
      errors.add("readonly_password: empty (expected: a password, e.g. @env(\"TSKOTEL_CH_READONLY_PASSWORD\", \"\"))");
    }
    if (!writerUser.isEmpty() && !USER_NAME.matcher(writerUser).matches()) {
      errors.add("writer_user: \"" + writerUser + "\" (expected: letters, digits, _ . -)");
    }
    if (hasWriter() && writerUser.equals(readonlyUser)) {
      errors.add("writer_user: \"" + writerUser + "\" (expected: a name other than readonly_user)");
    }
    return errors;
  }

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** This config, or an exception listing every problem. */
  public ClickHouseHttpConfig requireValid() {
    List<String> errors = validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid [" + SECTION + "] config: " + String.join("; ", errors));
    }
    return this;
  }

  public boolean enabled() {
    return enabled;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String readonlyUser() {
    return readonlyUser;
  }

  /** A secret: never log it. */
  public String readonlyPassword() {
    return readonlyPassword;
  }

  /** True when both the writer's name and password are set. */
  public boolean hasWriter() {
    return !writerUser.isEmpty() && !writerPassword.isEmpty();
  }

  /** Only one of the writer's name and password is set: there is no writer, which deserves a warning. */
  public boolean writerHalfSet() {
    return writerUser.isEmpty() != writerPassword.isEmpty();
  }

  public @Nullable String writerUser() {
    return hasWriter() ? writerUser : null;
  }

  /** A secret: never log it. */
  public @Nullable String writerPassword() {
    return hasWriter() ? writerPassword : null;
  }

  @Override
  public String toString() {
    // Passwords are secrets: never printed.
    return "ClickHouseHttpConfig[enabled=" + enabled + ", host=" + host + ", port=" + port
        + ", readonlyUser=" + readonlyUser + ", writerUser=" + (hasWriter() ? writerUser : "none") + "]";
  }

  /** Configures a {@link ClickHouseHttpConfig}; {@link #build()} does not validate (see {@link #validate()}). */
  public static final class Builder {
    private boolean enabled;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String readonlyUser = "";
    private String readonlyPassword = "";
    private String writerUser = "";
    private String writerPassword = "";

    private Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder readonlyUser(String user) {
      this.readonlyUser = requireNonNull(user, "user");
      return this;
    }

    public Builder readonlyPassword(String password) {
      this.readonlyPassword = requireNonNull(password, "password");
      return this;
    }

    public Builder writerUser(String user) {
      this.writerUser = requireNonNull(user, "user");
      return this;
    }

    public Builder writerPassword(String password) {
      this.writerPassword = requireNonNull(password, "password");
      return this;
    }

    public ClickHouseHttpConfig build() {
      return new ClickHouseHttpConfig(this);
    }
  }
}
