package io.tskotel.collector.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue on a real, tiny tmpfs that runs full: appends are refused (never acknowledged and lost), the
 * queue says it refuses, committing and deleting segments still works although not one byte is free, and
 * appends succeed again by themselves once the consumer freed space.
 */
class DiskFullQueueTest {
  @TempDir Path dir;

  private static byte[] record(int i) {
    byte[] payload = new byte[1000];
    byte[] id = ("r" + i + ";").getBytes(UTF_8);
    System.arraycopy(id, 0, payload, 0, id.length);
    return payload;
  }

  private static String id(byte[] payload) {
    String s = new String(payload, 0, 16, UTF_8);
    return s.substring(0, s.indexOf(';'));
  }

  @Test
  void append_diskFull_refusesThenCommitFreesSpaceAndAppendsResume() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), 1 << 20)) {
      QueueConfig config = QueueConfig.builder(fs.path().resolve("q"))
          .maxBytes(64L << 20).segmentBytes(64 << 10).fsync(FsyncPolicy.ALWAYS).build();
      try (DurableQueue queue = DurableQueue.open(config, QueueListener.NOOP)) {
        Set<String> acked = new LinkedHashSet<>();
        int i = 0;
        QueueAppend outcome;
        // Fill the file system through the queue itself (no space is reserved anywhere).
        while ((outcome = queue.append(record(i))).appended()) {
          acked.add("r" + i++);
          assertThat(i).as("a 1 MiB tmpfs must fill up").isLessThan(5000);
        }
        assertThat(outcome.status()).isEqualTo(QueueAppend.Status.FAILED);
        assertThat(queue.refusing()).isNotNull();
        assertThat(String.valueOf(queue.refusing().error())).contains("No space left on device");
        // Every further attempt is refused too, and nothing refused is ever handed to the consumer.
        for (int k = 0; k < 20; k++) {
          assertThat(queue.append(record(100_000 + k)).appended()).isFalse();
        }

        List<String> read = new ArrayList<>();
        List<QueueRecord> batch;
        while (!(batch = queue.poll(100, Long.MAX_VALUE, Duration.ZERO)).isEmpty()) {
          batch.forEach(r -> read.add(id(r.payload())));
          queue.commit(batch.get(batch.size() - 1)); // must work with zero bytes free
        }
        assertThat(read).containsExactlyElementsOf(acked);
        assertThat(queue.segmentCount()).as("consumed segments deleted on a full disk").isLessThanOrEqualTo(2);
        assertThat(queue.refusing()).as("space freed: the queue takes data again").isNull();

        // Appends resume by themselves, and the new records flow.
        for (int k = 0; k < 50; k++) {
          assertThat(queue.append(record(200_000 + k)).appended()).isTrue();
        }
        List<String> after = new ArrayList<>();
        while (!(batch = queue.poll(100, Long.MAX_VALUE, Duration.ZERO)).isEmpty()) {
          batch.forEach(r -> after.add(id(r.payload())));
          queue.commit(batch.get(batch.size() - 1));
        }
        assertThat(after).hasSize(50).first().isEqualTo("r200000");
      }
    }
  }

  @Test
  void reopen_afterDiskFull_replaysExactlyTheAcknowledgedRecords() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), 512 << 10)) {
      QueueConfig config = QueueConfig.builder(fs.path().resolve("q"))
          .maxBytes(64L << 20).segmentBytes(32 << 10).fsync(FsyncPolicy.INTERVAL).build();
      List<String> acked = new ArrayList<>();
      try (DurableQueue queue = DurableQueue.open(config, QueueListener.NOOP)) {
        for (int i = 0; i < 2000; i++) {
          if (queue.append(record(i)).appended()) {
            acked.add("r" + i);
          }
        }
        assertThat(queue.refusing()).isNotNull();
      }
      try (DurableQueue queue = DurableQueue.open(config, QueueListener.NOOP)) {
        List<String> read = new ArrayList<>();
        List<QueueRecord> batch;
        while (!(batch = queue.poll(100, Long.MAX_VALUE, Duration.ZERO)).isEmpty()) {
          batch.forEach(r -> read.add(id(r.payload())));
        }
        assertThat(read).containsExactlyElementsOf(acked);
      }
    }
  }

  @Test
  void rollover_failsOnFullDisk_thenRecoversWithoutRestart() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), 1 << 20)) {
      QueueConfig config = QueueConfig.builder(fs.path().resolve("q"))
          .maxBytes(64L << 20).segmentBytes(8 << 10).fsync(FsyncPolicy.ALWAYS).build();
      try (DurableQueue queue = DurableQueue.open(config, QueueListener.NOOP)) {
        for (int i = 0; i < 8; i++) { // 8 records of 1016 bytes fill the first 8 KiB segment
          assertThat(queue.append(record(i)).appended()).isTrue();
        }
        Path filler = fs.fill("filler");
        int refused = 0;
        for (int i = 8; i < 20; i++) {
          if (!queue.append(record(i)).appended()) {
            refused++;
          }
        }
        assertThat(refused).as("the segment is full and the next one cannot be created").isPositive();
        try (var files = Files.list(config.directory())) {
          assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isEqualTo(1);
        }
        Files.delete(filler);
        assertThat(queue.append(record(999)).appended()).as("roll-over retried once space is back").isTrue();
        assertThat(queue.segmentCount()).isEqualTo(2);
      }
    }
  }
}
