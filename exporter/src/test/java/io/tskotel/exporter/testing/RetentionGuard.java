package io.tskotel.exporter.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that stored rows already older than their table's TTL through a {@link TestStores} store: the
 * engine drops such rows on insert, so a fixture stamped with a calendar date passes until the day its rows
 * fall out of retention, then reads back nothing. Registered for every test by JUnit's extension
 * auto-detection (see {@code junit-platform.properties}); {@link StoresExpiredRows} exempts retention tests.
 */
public final class RetentionGuard implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RetentionGuard.class);
  private static final String BEFORE = "expiredBefore";

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put(BEFORE, TestStores.expiredOnArrival());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Long before = context.getStore(NS).get(BEFORE, Long.class);
    long stored = TestStores.expiredOnArrival() - (before == null ? 0 : before);
    if (stored == 0 || exempt(context)) {
      return;
    }
    throw new AssertionError(context.getDisplayName() + " stored " + stored + " rows older than their table's"
        + " TTL; the engine dropped them on insert. Derive fixture timestamps from now (OtlpFixtures.T0,"
        + " Instant.now()) or give the store TTL 0, or mark a retention test @StoresExpiredRows.");
  }

  private static boolean exempt(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.isAnnotationPresent(StoresExpiredRows.class)).orElse(false)
        || context.getTestClass().map(c -> c.isAnnotationPresent(StoresExpiredRows.class)).orElse(false);
  }
}
