package io.tskotel.collector.api;

import io.tskotel.collector.query.ExplorerFixture;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.exporter.ClickHouseStore;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh store with the fixture data behind a real admin server on a loopback port (bearer {@link
 * ApiFixture#TOKEN}, the fixture clock), for the tests of the API and of the CLI commands that call it:
 * {@code @RegisterExtension static final ApiServerFixture api = ApiServerFixture.explorer(MyTest.class);}
 * starts it before the class's tests and stops it after them.
 */
public final class ApiServerFixture implements BeforeAllCallback, AfterAllCallback {
  /** Writes a fixture's rows. */
  @FunctionalInterface
  public interface Data {
    void write(ClickHouseStore store) throws Exception;
  }

  private final Class<?> owner;
  private final Data data;
  private final Function<ClickHouseStore, QueryFunctions> functions;
  private @Nullable ClickHouseStore store;
  private @Nullable AdminServer server;

  private ApiServerFixture(Class<?> owner, Data data, Function<ClickHouseStore, QueryFunctions> functions) {
    this.owner = owner;
    this.data = data;
    this.functions = functions;
  }

  /** The explorer's traces and logs ({@link ExplorerFixture}) behind the plain query functions. */
  public static ApiServerFixture explorer(Class<?> owner) {
    return of(
        owner,
        ExplorerFixture::write,
        store -> QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build());
  }

  /** The rows {@code data} writes behind the query {@code functions}, in the database of {@code owner}. */
  public static ApiServerFixture of(
      Class<?> owner, Data data, Function<ClickHouseStore, QueryFunctions> functions) {
    return new ApiServerFixture(owner, data, functions);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    store = QueryFixture.newStore(owner);
    data.write(store);
    server =
        AdminServer.builder(
                AdminServerConfig.builder().port(0).bearerToken(ApiFixture.TOKEN).build(),
                store,
                functions.apply(store))
            .clock(QueryFixture.CLOCK)
            .build();
    server.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.shutdown();
      server = null;
    }
    if (store != null) {
      QueryFixture.dispose(store);
      store = null;
    }
  }

  public ClickHouseStore store() {
    if (store == null) {
      throw new IllegalStateException("not started: register with @RegisterExtension");
    }
    return store;
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    if (server == null) {
      throw new IllegalStateException("not started: register with @RegisterExtension");
    }
    return "http://127.0.0.1:" + server.port();
  }
}
