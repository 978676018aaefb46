package io.tskotel.exporter.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need an outside tool (node modules, chromium, prometheus, openssl) call this instead of skipping
 * on their own: on a developer's machine a missing tool skips the test with the command that installs it,
 * but where every test must run — CI, or {@code TSKOTEL_REQUIRE_ALL_TESTS=1} — it fails the test, so a broken
 * install step can never pass as a green build.
 */
public final class Prerequisites {
  private Prerequisites() {}

  public static boolean allTestsRequired() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || "1".equals(System.getenv("TSKOTEL_REQUIRE_ALL_TESTS"));
  }

  /** Skips (locally) or fails (CI) the calling test unless {@code present}. */
  public static void require(boolean present, String whatIsMissingAndHowToInstall) {
    if (present) {
      return;
    }
    if (allTestsRequired()) {
      throw new AssertionError("missing test prerequisite: " + whatIsMissingAndHowToInstall);
    }
    Assumptions.abort(whatIsMissingAndHowToInstall);
  }
}
