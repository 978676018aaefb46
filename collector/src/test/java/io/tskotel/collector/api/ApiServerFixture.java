package io.tskotel.collector.api;

import io.tskotel.collector.query.ExplorerFixture;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.exporter.ClickHouseStore;
import java.util.function.Function;

/**
 * A fresh store with the fixture data behind a real admin server on a loopback port (bearer {@link
 * ApiFixture#TOKEN}, the fixture clock), for the tests of the API and of the CLI commands that call it.
 */
public final class ApiServerFixture implements AutoCloseable {
  /** Writes a fixture's rows. */
  @FunctionalInterface
  public interface Data {
    void write(ClickHouseStore store) throws Exception;
  }

  private final ClickHouseStore store;
  private final AdminServer server;

  private ApiServerFixture(ClickHouseStore store, AdminServer server) {
    this.store = store;
    this.server = server;
  }

  /** The explorer's traces and logs ({@link ExplorerFixture}) behind the plain query functions. */
  public static ApiServerFixture explorer(Class<?> owner) throws Exception {
    return start(
        owner,
        ExplorerFixture::write,
        store -> QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build());
  }

  public static ApiServerFixture start(
      Class<?> owner, Data data, Function<ClickHouseStore, QueryFunctions> functions) throws Exception {
    ClickHouseStore store = QueryFixture.newStore(owner);
    try {
      data.write(store);
      AdminServer server =
          AdminServer.builder(
                  AdminServerConfig.builder().port(0).bearerToken(ApiFixture.TOKEN).build(),
                  store,
                  functions.apply(store))
              .clock(QueryFixture.CLOCK)
              .build();
      server.start();
      return new ApiServerFixture(store, server);
    } catch (Exception | Error e) {
      QueryFixture.dispose(store);
      throw e;
    }
  }

  public ClickHouseStore store() {
    return store;
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.shutdown();
    QueryFixture.dispose(store);
  }
}
