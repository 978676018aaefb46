package io.tskotel.collector.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the admin API is and how to talk to it: shared by the commands that call it. */
final class ApiOptions {
  /** The variable the bearer token is read from when --token is not given. */
  static final String TOKEN_ENV = "TSKOTEL_ADMIN_TOKEN";

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "Admin API base URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      defaultValue = "${env:" + TOKEN_ENV + "}",
      description =
          "Bearer token (default: the " + TOKEN_ENV + " environment variable; prefer it: arguments show in ps).")
  @Nullable String token;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  ApiClient client() {
    return new ApiClient(url, token);
  }
}
