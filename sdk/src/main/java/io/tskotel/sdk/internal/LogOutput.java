package io.tskotel.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Writes log records as lines ({@code json} or {@code text}) to the console and/or a rotating file: the
 * seed's {@code write_log_to_file}. Records are queued and written by one thread of its own, off the
 * application's threads; flush and shutdown wait until everything queued before them is written. Records below
 * {@code log_level} are skipped, so SLF4J/Logback records bridged into OpenTelemetry are filtered the same way.
 * A full queue drops the record and counts it ({@link #dropped()}), with a throttled warning.
 */
public final class LogOutput implements LogRecordProcessor {
  private static final Logger logger = Logger.getLogger(LogOutput.class.getName());
  private static final JsonFactory JSON = new JsonFactory();
  private static final int QUEUE = 8192;
  private static final long WAIT_SECONDS = 10;

  private final boolean json;
  private final int minSeverity;
  private final @Nullable PrintStream console;
  private final @Nullable RotatingFile file;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Throttle failures = new Throttle();
  private final Throttle drops = new Throttle();
  private final Thread writer;

  private LogOutput(boolean json, int minSeverity, @Nullable PrintStream console, @Nullable RotatingFile file) {
    this.json = json;
    this.minSeverity = minSeverity;
    this.console = console;
    this.file = file;
    this.writer = new Thread(this::run, "tskotel-log-writer");
    writer.setDaemon(true);
    writer.start();
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

  /** Records dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void onEmit(Context context, ReadWriteLogRecord record) {
    int severity = record.getSeverity().getSeverityNumber();
    if ((severity != 0 && severity < minSeverity) || stopped.get()) {
      return;
    }
    if (!queue.offer(record.toLogRecordData())) {
      dropped.incrementAndGet();
      if (drops.allow()) {
        logger.warning("log output queue full (" + QUEUE + " records): dropping lines (" + dropped.get()
            + " so far); the disk or console is slower than the application logs");
      }
    }
  }

  private void run() {
    List<Object> batch = new ArrayList<>(256);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, 1023);
      boolean stop = write(batch);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Writes the records, then releases the flush markers among them; returns whether a stop marker came. */
  private boolean write(List<Object> batch) {
    boolean stop = false;
    try {
      for (Object o : batch) {
        if (o instanceof LogRecordData log) {
          String line = json ? json(log) : text(log);
          if (console != null) {
            console.print(line);
          }
          if (file != null) {
            file.write(line);
          }
        }
      }
      if (file != null) {
        file.flush();
      }
      if (console != null) {
        console.flush();
      }
    } catch (IOException | RuntimeException e) {
      if (failures.allow()) {
        logger.log(Level.WARNING, "cannot write log lines: " + e, e);
      }
    }
    for (Object o : batch) {
      if (o instanceof Marker m) {
        m.done.countDown();
        stop |= m.stop;
      }
    }
    return stop;
  }

  private record Marker(CountDownLatch done, boolean stop) {}

  private CompletableResultCode await(boolean stop) {
    Marker m = new Marker(new CountDownLatch(1), stop);
    try {
      if (!writer.isAlive() || !queue.offer(m, WAIT_SECONDS, TimeUnit.SECONDS)) {
        return CompletableResultCode.ofFailure();
      }
      return m.done.await(WAIT_SECONDS, TimeUnit.SECONDS)
          ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableResultCode.ofFailure();
    }
  }

  @Override
  public CompletableResultCode forceFlush() {
    return await(false);
  }

  @Override
  public CompletableResultCode shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = await(true);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      if (file != null) {
        file.close();
      }
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableResultCode.ofFailure();
    }
    return result;
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
}
