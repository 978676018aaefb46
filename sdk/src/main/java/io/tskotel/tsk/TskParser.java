package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

import io.tskotel.tsk.internal.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses TSK with a given environment (for {@code @env}), clock (for {@code @date}) and source name (for
 * error messages). Immutable and reusable; build one with {@link Tsk#parser()}.
 */
public final class TskParser {
  private final Map<String, String> environment;
  private final Clock clock;
  private final String sourceName;
  private final @Nullable FujsenRegistry fujsenRegistry;

  private TskParser(Builder builder) {
    this.environment = builder.environment;
    this.clock = builder.clock;
    this.sourceName = builder.sourceName;
    this.fujsenRegistry = builder.fujsenRegistry;
  }

  /**
   * Parses {@code text}; errors name the builder's source name.
   *
   * @throws TskParseException with every error in the text
   */
  public Tsk parse(String text) {
    return parse(text, sourceName);
  }

  /**
   * Reads and parses a UTF-8 file; errors name the file.
   *
   * @throws TskParseException with every error in the file
   */
  public Tsk load(Path path) throws IOException {
    requireNonNull(path, "path");
    return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
  }

  private Tsk parse(String text, String source) {
    requireNonNull(text, "text");
    FujsenRegistry registry = fujsenRegistry != null ? fujsenRegistry : new FujsenRegistry();
    return new Tsk(Parser.parse(source, text, environment, clock), source, registry);
  }

  /** Configures a {@link TskParser}. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private String sourceName = "<string>";
    private @Nullable FujsenRegistry fujsenRegistry;

    Builder() {}

    /** The variables {@code @env} reads; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** The clock {@code @date} reads, with its zone; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The name errors in parsed text are reported under; default {@code <string>}. */
    public Builder sourceName(String sourceName) {
      this.sourceName = requireNonNull(sourceName, "sourceName");
      return this;
    }

    /**
     * The registry every parsed {@link Tsk} dispatches {@link Tsk#executeFujsen} to; default a new empty
     * registry per parsed {@link Tsk}.
     */
    public Builder fujsenRegistry(FujsenRegistry fujsenRegistry) {
      this.fujsenRegistry = requireNonNull(fujsenRegistry, "fujsenRegistry");
      return this;
    }

    public TskParser build() {
      return new TskParser(this);
    }
  }
}
