package io.tskotel.collector.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Lets tests of other packages ask {@link JvmOptions} for a document's options. */
public final class JvmOptionsAccess {
  private JvmOptionsAccess() {}

  public static List<String> forConfig(@Nullable Path config, Map<String, String> environment) throws Exception {
    return JvmOptions.forConfig(config, environment);
  }
}
