package io.tskotel.exporter.testing;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.internal.chdb.ChdbEngine;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * A fresh database on the {@linkplain ChdbTestEngine shared test engine} for one test class, dropped after
 * it:
 *
 * <pre>{@code
 * @RegisterExtension static final ChdbTestDatabase db = new ChdbTestDatabase();
 * ... db.engine().query("SELECT count() FROM {db:Identifier}.t", Map.of("db", db.name())) ...
 * }</pre>
 */
public final class ChdbTestDatabase implements BeforeAllCallback, AfterAllCallback {
  private @Nullable String name;

  @Override
  public void beforeAll(ExtensionContext context) {
    name = ChdbTestEngine.newDatabase(context.getRequiredTestClass());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (name != null) {
      ChdbTestEngine.dropDatabase(name);
      name = null;
    }
  }

  /** This class's database; only valid while its tests run. */
  public String name() {
    return requireNonNull(name, "name (register with @RegisterExtension on a static field)");
  }

  public ChdbEngine engine() {
    return ChdbTestEngine.shared();
  }
}
