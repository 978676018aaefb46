package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What the dashboard and the explorer pages serve alike: files read once from the jar, pages with the
 * same security headers, and assets by name (404 for any other name, so no path reaches the class loader).
 */
final class StaticFiles {
  static final String RESOURCES = "io/tskotel/collector/web/dashboard/";
  static final String JS = "text/javascript; charset=utf-8";
  static final String CSS = "text/css; charset=utf-8";

  /** No inline script, no other origin: the page and everything it loads come from this server. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  record Asset(byte[] bytes, String contentType) {
    static Asset of(String resource, String contentType) {
      return new Asset(read(resource), contentType);
    }
  }

  private StaticFiles() {}

  static void page(Context ctx, byte[] page) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType("text/html; charset=utf-8").result(page);
  }

  /** The asset named by the {@code {file}} path parameter, or 404. */
  static void asset(Context ctx, Map<String, Asset> assets) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  static byte[] read(String resource) {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InputStream open(String resource) {
    InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(requireNonNull(resource));
    if (in == null) {
      throw new IllegalStateException("missing from the jar: " + resource);
    }
    return in;
  }
}
