package io.tskotel.collector.pipeline.internal;

import io.tskotel.collector.queue.internal.WalFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where requests the store refused permanently go, so nothing is lost silently: {@code <signal>.dlq} holds
 * the original request bytes in the queue's record format (sequence number = the queue's), and
 * {@code <signal>.dlq.txt} one line per request with the time, sequence number, item count and reason.
 * Synced on every write: this path is rare. {@code tskotel deadletter list|replay} reads them back
 * ({@link #read}) once the cause is fixed.
 */
public final class DeadLetterFile implements AutoCloseable {
  private static final Pattern SEQ = Pattern.compile(" seq=(\\d+) ");
  private final Path data;
  private final Path index;
  private FileChannel channel;
  private long lastSeq;
  private long end;

  public DeadLetterFile(Path directory, String name) throws IOException {
    Files.createDirectories(directory);
    this.data = directory.resolve(name + ".dlq");
    this.index = directory.resolve(name + ".dlq.txt");
  }

  public Path path() {
    return data;
  }

  /** One dead-lettered request: its bytes and its line in the index (null when the index lacks it). */
  public record Entry(long seq, byte[] request, @Nullable String line) {}

  /** Every request in {@code <name>.dlq} of {@code directory}, oldest first; empty when there is none. */
  public static List<Entry> read(Path directory, String name) throws IOException {
    Path data = directory.resolve(name + ".dlq");
    if (!Files.exists(data)) {
      return List.of();
    }
    Map<Long, String> lines = new HashMap<>();
    Path index = directory.resolve(name + ".dlq.txt");
    if (Files.exists(index)) {
      for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
        Matcher m = SEQ.matcher(line);
        if (m.find()) {
          lines.put(Long.parseLong(m.group(1)), line);
        }
      }
    }
    List<Entry> entries = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
      if (!WalFormat.hasValidHeader(channel)) {
        return List.of();
      }
      long offset = WalFormat.FILE_HEADER_BYTES;
      long last = 0;
      WalFormat.Scan scan;
      while ((scan = WalFormat.read(channel, offset, channel.size(), last)).kind() == WalFormat.Scan.Kind.RECORD) {
        entries.add(new Entry(scan.seq(), scan.payload(), lines.get(scan.seq())));
        last = scan.seq();
        offset = scan.next();
      }
    }
    return entries;
  }

  /** Deletes {@code <name>.dlq} and its index (after a replay put them back into the queue). */
  public static void delete(Path directory, String name) throws IOException {
    Files.deleteIfExists(directory.resolve(name + ".dlq"));
    Files.deleteIfExists(directory.resolve(name + ".dlq.txt"));
  }

  public synchronized void write(long seq, byte[] request, int items, String reason) throws IOException {
    if (channel == null) {
      channel = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (!WalFormat.hasValidHeader(channel)) {
        channel.truncate(0);
        WalFormat.writeFully(channel, WalFormat.fileHeader(), 0);
        end = WalFormat.FILE_HEADER_BYTES;
      } else {
        // Continue after the last valid record; a torn one from a crash is overwritten.
        end = WalFormat.FILE_HEADER_BYTES;
        WalFormat.Scan scan;
        while ((scan = WalFormat.read(channel, end, channel.size(), lastSeq)).kind()
            == WalFormat.Scan.Kind.RECORD) {
          lastSeq = scan.seq();
          end = scan.next();
        }
      }
    }
    // Records must keep increasing sequence numbers to stay readable with the queue's format.
    long recordSeq = Math.max(seq, lastSeq + 1);
    lastSeq = recordSeq;
    var record = WalFormat.encode(recordSeq, request);
    int size = record.remaining();
    WalFormat.writeFully(channel, record, end);
    end += size;
    channel.truncate(end);
    channel.force(true);
    String line = Instant.now() + " seq=" + recordSeq + " items=" + items + " reason="
        + reason.replace('\n', ' ') + "\n";
    Files.writeString(index, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to lose: every write was synced
      }
      channel = null;
    }
  }
}
