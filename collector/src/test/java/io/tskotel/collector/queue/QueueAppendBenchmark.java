package io.tskotel.collector.queue;

import io.tskotel.collector.queue.internal.WalFormat;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for {@link DurableQueue#append}: appends/s per fsync policy and producer count, as ratios
 * against a plain unsynced {@link FileChannel} write of the same bytes measured in the same run. Not a test:
 * run it by hand, e.g. {@code java -cp <test classpath> io.tskotel.collector.queue.QueueAppendBenchmark
 * [payloadBytes] [seconds] [dir]}.
 */
public final class QueueAppendBenchmark {
  private QueueAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    int payloadBytes = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Path root = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tskotel-queue-bench");
    byte[] payload = new byte[payloadBytes];
    long runNanos = (long) (seconds * 1e9);

    plainWrites(root.resolve("plain"), payload, runNanos); // warm-up: JIT and a fresh file
    queueAppends(root.resolve("warmup"), FsyncPolicy.NEVER, 1, payload, runNanos);
    double baseline = plainWrites(root.resolve("plain"), payload, runNanos);
    System.out.printf("payload %d B, %.1f s per case, dir %s%n", payloadBytes, seconds, root);
    System.out.printf("%-34s %12.0f appends/s  1.000%n", "plain FileChannel.write, no fsync", baseline);
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      for (int producers : new int[] {1, 8}) {
        double rate = queueAppends(root.resolve(policy + "-" + producers), policy, producers, payload, runNanos);
        System.out.printf("%-34s %12.0f appends/s  %.4f%n",
            "queue fsync " + policy.name().toLowerCase() + ", " + producers + " producer(s)", rate, rate / baseline);
      }
    }
  }

  private static double plainWrites(Path dir, byte[] payload, long runNanos) throws Exception {
    Files.createDirectories(dir);
    try (FileChannel channel = FileChannel.open(dir.resolve("plain"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long count = 0;
      long position = 0;
      long start = System.nanoTime();
      long end = start + runNanos;
      while (System.nanoTime() < end) {
        // Same bytes as a queue record, so only the queue's own work differs.
        var buf = WalFormat.encode(count, payload);
        position += buf.remaining();
        WalFormat.writeFully(channel, buf, position - buf.remaining());
        count++;
        if (position > (256L << 20)) {
          position = 0; // stay within a page-cache-sized file
        }
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double queueAppends(Path dir, FsyncPolicy policy, int producers, byte[] payload, long runNanos)
      throws Exception {
    QueueConfig config = QueueConfig.builder(dir).fsync(policy).fsyncInterval(Duration.ofMillis(10))
        .maxBytes(64L << 30).segmentBytes(64L << 20).build();
    AtomicLong count = new AtomicLong();
    try (DurableQueue queue = DurableQueue.open(config, QueueListener.NOOP)) {
      long start = System.nanoTime();
      long end = start + runNanos;
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < producers; i++) {
        threads.add(Thread.ofPlatform().start(() -> {
          while (System.nanoTime() < end) {
            if (!queue.append(payload).appended()) {
              throw new IllegalStateException("append failed");
            }
            count.incrementAndGet();
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      return count.get() / ((System.nanoTime() - start) / 1e9);
    }
  }
}
