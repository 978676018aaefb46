package io.tskotel.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Writes log records as lines ({@code json} or {@code text}) to the console and/or a rotating file: the
 * seed's {@code write_log_to_file}. Runs behind a batch processor, off the application's threads; records below
 * {@code log_level} are skipped, so SLF4J/Logback records bridged into OpenTelemetry are filtered the same way.
 */
public final class LogOutput implements LogRecordExporter {
  private static final Logger logger = Logger.getLogger(LogOutput.class.getName());
  private static final JsonFactory JSON = new JsonFactory();

  private final boolean json;
  private final int minSeverity;
  private final @Nullable PrintStream console;
  private final @Nullable RotatingFile file;
  private final Throttle failures = new Throttle();

  private LogOutput(boolean json, int minSeverity, @Nullable PrintStream console, @Nullable RotatingFile file) {
    this.json = json;
    this.minSeverity = minSeverity;
    this.console = console;
    this.file = file;
  }

  /** The output {@code [logging]} asks for, or null when it asks for none. */
  public static @Nullable LogOutput create(TskSettings.Logging s, PrintStream console, Clock clock)
      throws IOException {
    if (!s.console() && s.file() == null) {
      return null;
    }
    RotatingFile file = s.file() == null ? null : new RotatingFile(s.file(), s.maxBytes(), s.maxFiles(), s.daily(), clock);
    return new LogOutput(s.format().equals("json"), minSeverity(s.level()), s.console() ? console : null, file);
  }

  static int minSeverity(TskSettings.Severity level) {
    return switch (level) {
      case DEBUG -> Severity.DEBUG.getSeverityNumber();
      case INFO -> Severity.INFO.getSeverityNumber();
      case WARN -> Severity.WARN.getSeverityNumber();
      case ERROR -> Severity.ERROR.getSeverityNumber();
    };
  }

  @Override
  public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
    try {
      for (LogRecordData log : logs) {
        int severity = log.getSeverity().getSeverityNumber();
        if (severity != 0 && severity < minSeverity) {
          continue;
        }
        String line = json ? json(log) : text(log);
        if (console != null) {
          console.print(line);
        }
        if (file != null) {
          file.write(line);
        }
      }
      if (file != null) {
        file.flush();
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      if (failures.allow()) {
        logger.log(Level.WARNING, "cannot write log lines: " + e, e);
      }
      return CompletableResultCode.ofFailure();
    }
  }

  static String json(LogRecordData log) throws IOException {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Instant.ofEpochSecond(0, timestamp(log)).toString());
      g.writeStringField("level", level(log));
      g.writeStringField("message", body(log));
      if (log.getSpanContext().isValid()) {
        g.writeStringField("trace_id", log.getSpanContext().getTraceId());
        g.writeStringField("span_id", log.getSpanContext().getSpanId());
      }
      for (Map.Entry<AttributeKey<?>, Object> e : log.getAttributes().asMap().entrySet()) {
        g.writeFieldName(e.getKey().getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    }
    return w.append('\n').toString();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  static String text(LogRecordData log) {
    StringBuilder b = new StringBuilder(128)
        .append('[').append(Instant.ofEpochSecond(0, timestamp(log))).append("] ")
        .append(level(log)).append(": ").append(body(log));
    log.getAttributes().forEach((k, v) -> b.append(' ').append(k.getKey()).append('=').append(v));
    if (log.getSpanContext().isValid()) {
      b.append(" trace_id=").append(log.getSpanContext().getTraceId())
          .append(" span_id=").append(log.getSpanContext().getSpanId());
    }
    return b.append('\n').toString();
  }

  private static long timestamp(LogRecordData log) {
    return log.getTimestampEpochNanos() != 0 ? log.getTimestampEpochNanos() : log.getObservedTimestampEpochNanos();
  }

  private static String level(LogRecordData log) {
    Severity s = log.getSeverity();
    if (log.getSeverityText() != null) {
      return log.getSeverityText();
    }
    return s == Severity.UNDEFINED_SEVERITY_NUMBER ? "INFO" : s.name().replaceAll("[0-9]", "");
  }

  private static String body(LogRecordData log) {
    Value<?> body = log.getBodyValue();
    return body == null ? "" : body.asString();
  }

  @Override
  public CompletableResultCode flush() {
    try {
      synchronized (this) {
        if (file != null) {
          file.flush();
        }
        if (console != null) {
          console.flush();
        }
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    try {
      synchronized (this) {
        if (file != null) {
          file.close();
        }
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
  }
}
