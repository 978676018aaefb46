package io.tskotel.sdk;

import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the SDK to the logging-framework bridges the application has on its classpath, so its SLF4J/Logback
 * records become OpenTelemetry log records like {@code logInfo}'s (with the current trace ids).
 */
final class Bridges {
  private static final Logger logger = Logger.getLogger(Bridges.class.getName());
  private static final String LOGBACK_APPENDER =
      "io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender";

  private Bridges() {}

  static void installLogback(OpenTelemetry openTelemetry) {
    Class<?> appender;
    try {
      appender = Class.forName(LOGBACK_APPENDER, true, Bridges.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return; // not on the classpath: nothing to bridge
    }
    try {
      Method install = appender.getMethod("install", OpenTelemetry.class);
      install.invoke(null, openTelemetry);
    } catch (ReflectiveOperationException | LinkageError e) {
      logger.log(Level.WARNING, "cannot install the OpenTelemetry Logback appender", e);
    }
  }
}
