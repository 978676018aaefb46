package io.tskotel.exporter.testing;

import io.tskotel.exporter.internal.engine.SqlEngine;

/**
 * The shared test engine handed to a store that would close it: the store's close must not stop the
 * engine every other test class in the JVM uses. Everything else passes straight through.
 */
public final class NonClosingEngine extends ForwardingEngine {
  public NonClosingEngine(SqlEngine delegate) {
    super(delegate);
  }

  public static NonClosingEngine shared() {
    return new NonClosingEngine(ChdbTestEngine.shared());
  }

  @Override
  public void close() {}
}
