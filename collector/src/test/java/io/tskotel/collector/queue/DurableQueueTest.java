package io.tskotel.collector.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DurableQueueTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  @TempDir Path dir;

  private final RecordingListener listener = new RecordingListener();

  private DurableQueue open() throws IOException {
    return open(QueueConfig.builder(dir).build());
  }

  private DurableQueue open(QueueConfig config) throws IOException {
    return DurableQueue.open(config, listener);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> drain(DurableQueue queue) throws Exception {
    List<String> out = new ArrayList<>();
    while (true) {
      List<QueueRecord> batch = queue.poll(1000, Long.MAX_VALUE, NO_WAIT);
      if (batch.isEmpty()) {
        return out;
      }
      batch.forEach(r -> out.add(new String(r.payload(), UTF_8)));
    }
  }

  @Test
  void append_thenPoll_returnsRecordsInOrderWithIncreasingSeq() throws Exception {
    try (DurableQueue queue = open()) {
      for (int i = 0; i < 5; i++) {
        assertThat(queue.append(bytes("r" + i)).appended()).isTrue();
      }
      List<QueueRecord> records = queue.poll(3, Long.MAX_VALUE, NO_WAIT);
      assertThat(records).extracting(r -> new String(r.payload(), UTF_8)).containsExactly("r0", "r1", "r2");
      assertThat(records).extracting(QueueRecord::seq).isSorted().doesNotHaveDuplicates();
      assertThat(drain(queue)).containsExactly("r3", "r4");
      assertThat(queue.pendingRecords()).isEqualTo(5);
    }
  }

  @Test
  void poll_recordWrittenButNotYetSynced_isNotHandedOn() throws Exception {
    // The flusher would sync only after an hour: until close() the append stays written and unsynced.
    QueueConfig noSync = QueueConfig.builder(dir).fsync(FsyncPolicy.INTERVAL).fsyncInterval(Duration.ofHours(1))
        .build();
    QueueAppend[] outcome = new QueueAppend[1];
    Thread producer;
    try (DurableQueue queue = open(noSync)) {
      producer = Thread.ofPlatform().start(() -> outcome[0] = queue.append(bytes("pending")));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (queue.pendingRecords() == 0) {
        assertThat(System.nanoTime()).as("the append is written").isLessThan(deadline);
        Thread.onSpinWait();
      }
      assertThat(queue.poll(10, Long.MAX_VALUE, Duration.ofMillis(50))).as("not synced: not handed on").isEmpty();
      assertThat(queue.hasUnread()).isFalse();
      assertThat(producer.isAlive()).isTrue();
    }
    producer.join();
    // close() synced it last: the producer hears "appended", and the record is there exactly once.
    assertThat(outcome[0].appended()).isTrue();
    try (DurableQueue queue = open(noSync)) {
      assertThat(drain(queue)).containsExactly("pending");
    }
  }

  @Test
  void poll_emptyQueue_waitsThenReturnsWhatArrives() throws Exception {
    try (DurableQueue queue = open()) {
      Thread producer = Thread.ofPlatform().start(() -> queue.append(bytes("late")));
      List<QueueRecord> records = queue.poll(10, Long.MAX_VALUE, Duration.ofSeconds(30));
      producer.join();
      assertThat(records).extracting(r -> new String(r.payload(), UTF_8)).containsExactly("late");
    }
  }

  @Test
  void reopen_replaysOnlyUncommittedRecords() throws Exception {
    try (DurableQueue queue = open()) {
      for (int i = 0; i < 6; i++) {
        queue.append(bytes("r" + i));
      }
      List<QueueRecord> records = queue.poll(4, Long.MAX_VALUE, NO_WAIT);
      queue.commit(records.get(3));
      assertThat(queue.pendingRecords()).isEqualTo(2);
    }
    try (DurableQueue queue = open()) {
      assertThat(queue.pendingRecords()).isEqualTo(2);
      assertThat(drain(queue)).containsExactly("r4", "r5");
      queue.append(bytes("r6"));
      assertThat(drain(queue)).containsExactly("r6");
    }
    assertThat(listener.events).isEmpty();
  }

  @Test
  void reopen_withoutCommit_replaysEverything() throws Exception {
    try (DurableQueue queue = open()) {
      queue.append(bytes("a"));
      queue.append(bytes("b"));
      assertThat(drain(queue)).containsExactly("a", "b");
    }
    try (DurableQueue queue = open()) {
      assertThat(drain(queue)).containsExactly("a", "b");
    }
  }

  @Test
  void open_tornTail_truncatesWithWarningAndKeepsEarlierRecords() throws Exception {
    try (DurableQueue queue = open()) {
      queue.append(bytes("first"));
      queue.append(bytes("second"));
      queue.append(bytes("third-record-payload"));
    }
    Path segment = onlySegment();
    long size = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(size - 7); // a crash in the middle of writing the last record
    }
    try (DurableQueue queue = open()) {
      assertThat(listener.events).containsExactly("truncated " + segment.getFileName());
      assertThat(drain(queue)).containsExactly("first", "second");
      assertThat(queue.append(bytes("after")).appended()).isTrue();
      assertThat(drain(queue)).containsExactly("after");
    }
    assertThat(Files.size(segment)).isLessThan(size - 7);
  }

  @Test
  void open_garbageAppendedAfterLastRecord_truncated() throws Exception {
    try (DurableQueue queue = open()) {
      queue.append(bytes("only"));
    }
    Path segment = onlySegment();
    Files.write(segment, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
        java.nio.file.StandardOpenOption.APPEND);
    try (DurableQueue queue = open()) {
      assertThat(drain(queue)).containsExactly("only");
      assertThat(listener.events).hasSize(1).first().asString().startsWith("truncated");
    }
  }

  @Test
  void open_bitFlipInMiddleRecord_skipsOnlyThatRecord() throws Exception {
    long offsetOfThird;
    try (DurableQueue queue = open()) {
      queue.append(bytes("record-1"));
      queue.append(bytes("record-2"));
      offsetOfThird = Files.size(onlySegment());
      queue.append(bytes("record-3"));
      queue.append(bytes("record-4"));
      queue.append(bytes("record-5"));
    }
    Path segment = onlySegment();
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      long pos = offsetOfThird + 16 + 3; // inside record-3's payload
      file.seek(pos);
      int b = file.read();
      file.seek(pos);
      file.write(b ^ 0x10);
    }
    try (DurableQueue queue = open()) {
      assertThat(drain(queue)).containsExactly("record-1", "record-2", "record-4", "record-5");
      assertThat(listener.events).containsExactly("skipped " + segment.getFileName());
    }
  }

  @Test
  void open_bitFlipInLengthField_doesNotCrashAndKeepsLaterRecords() throws Exception {
    long offsetOfSecond;
    try (DurableQueue queue = open()) {
      queue.append(bytes("record-1"));
      offsetOfSecond = Files.size(onlySegment());
      queue.append(bytes("record-2"));
      queue.append(bytes("record-3"));
    }
    try (RandomAccessFile file = new RandomAccessFile(onlySegment().toFile(), "rw")) {
      file.seek(offsetOfSecond);
      file.write(0x7f); // length becomes huge
    }
    try (DurableQueue queue = open()) {
      assertThat(drain(queue)).containsExactly("record-1", "record-3");
      assertThat(listener.events).hasSize(1);
    }
  }

  @Test
  void open_damagedCommitFile_replaysEverythingRatherThanLosing() throws Exception {
    try (DurableQueue queue = open()) {
      queue.append(bytes("a"));
      queue.append(bytes("b"));
      queue.append(bytes("c"));
      List<QueueRecord> records = queue.poll(2, Long.MAX_VALUE, NO_WAIT);
      queue.commit(records.get(1));
    }
    Files.write(dir.resolve("committed"), new byte[] {1, 2, 3});
    try (DurableQueue queue = open()) {
      assertThat(drain(queue)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void open_unsyncedTailLostBehindCommit_newRecordsAreNotMistakenForCommitted() throws Exception {
    QueueConfig never = QueueConfig.builder(dir).fsync(FsyncPolicy.NEVER).build();
    try (DurableQueue queue = open(never)) {
      queue.append(bytes("a"));
      queue.append(bytes("b"));
      List<QueueRecord> records = queue.poll(2, Long.MAX_VALUE, NO_WAIT);
      queue.commit(records.get(1));
    }
    // Power loss with fsync never: the data never reached the disk but the commit file did.
    try (RandomAccessFile file = new RandomAccessFile(onlySegment().toFile(), "rw")) {
      file.setLength(8);
    }
    try (DurableQueue queue = open(never)) {
      queue.append(bytes("c"));
      assertThat(drain(queue)).containsExactly("c");
    }
  }

  @Test
  void append_full_refusesWithoutWritingUntilCommitFreesSpace() throws Exception {
    QueueConfig small = QueueConfig.builder(dir).maxBytes(8192).segmentBytes(4096).build();
    try (DurableQueue queue = open(small)) {
      byte[] payload = new byte[1000];
      int appended = 0;
      while (queue.append(payload).appended()) {
        appended++;
      }
      assertThat(appended).isEqualTo(8); // 8 × 1016 bytes fit in 8192
      assertThat(queue.append(payload).status()).isEqualTo(QueueAppend.Status.FULL);
      assertThat(queue.pendingBytes()).isLessThanOrEqualTo(8192);
      List<QueueRecord> records = queue.poll(100, Long.MAX_VALUE, NO_WAIT);
      assertThat(records).hasSize(8);
      assertThat(queue.append(payload).status()).isEqualTo(QueueAppend.Status.FULL);
      queue.commit(records.get(1));
      assertThat(queue.append(payload).appended()).isTrue();
      assertThat(queue.append(payload).appended()).isTrue();
      assertThat(queue.append(payload).status()).isEqualTo(QueueAppend.Status.FULL);
    }
  }

  @Test
  void append_largerThanSegment_refusedAsTooLarge() throws Exception {
    QueueConfig small = QueueConfig.builder(dir).maxBytes(1 << 20).segmentBytes(4096).build();
    try (DurableQueue queue = open(small)) {
      assertThat(queue.append(new byte[5000]).status()).isEqualTo(QueueAppend.Status.TOO_LARGE);
      assertThat(queue.pendingRecords()).isZero();
    }
  }

  @Test
  void append_pastSegmentSize_rollsOverAndCommitDeletesConsumedSegments() throws Exception {
    QueueConfig small = QueueConfig.builder(dir).maxBytes(1 << 20).segmentBytes(4096).build();
    try (DurableQueue queue = open(small)) {
      for (int i = 0; i < 40; i++) {
        assertThat(queue.append(bytes(String.format("%0500d", i))).appended()).isTrue();
      }
      assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(5);
      List<QueueRecord> all = new ArrayList<>();
      List<QueueRecord> batch;
      while (!(batch = queue.poll(7, Long.MAX_VALUE, NO_WAIT)).isEmpty()) {
        all.addAll(batch);
      }
      assertThat(all).hasSize(40);
      queue.commit(all.get(19));
      int afterHalf = segmentFiles().size();
      assertThat(afterHalf).isLessThan(6).isGreaterThan(1);
      queue.commit(all.get(39));
      assertThat(segmentFiles()).hasSize(1); // only the active one remains
      assertThat(queue.pendingBytes()).isZero();
    }
    try (DurableQueue queue = open(small)) {
      assertThat(drain(queue)).isEmpty();
    }
    assertThat(listener.events).isEmpty();
  }

  @Test
  void reopen_afterRollover_replaysAcrossSegments() throws Exception {
    QueueConfig small = QueueConfig.builder(dir).maxBytes(1 << 20).segmentBytes(4096).build();
    List<String> expected = new ArrayList<>();
    try (DurableQueue queue = open(small)) {
      for (int i = 0; i < 30; i++) {
        queue.append(bytes(String.format("%0300d", i)));
      }
      List<QueueRecord> first = queue.poll(10, Long.MAX_VALUE, NO_WAIT);
      queue.commit(first.get(9));
    }
    for (int i = 10; i < 30; i++) {
      expected.add(String.format("%0300d", i));
    }
    try (DurableQueue queue = open(small)) {
      assertThat(drain(queue)).containsExactlyElementsOf(expected);
    }
    assertThat(listener.events).isEmpty();
  }

  @Test
  void open_sameDirectoryTwice_refused() throws Exception {
    try (DurableQueue queue = open()) {
      assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("in use");
      assertThat(queue.append(bytes("still works")).appended()).isTrue();
    }
  }

  @Test
  void open_invalidConfig_listsEveryError() {
    QueueConfig bad = QueueConfig.builder(dir).maxBytes(10).segmentBytes(100)
        .fsync(FsyncPolicy.INTERVAL).fsyncInterval(Duration.ZERO).build();
    assertThatThrownBy(() -> open(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segmentBytes: 100 (expected: >= 4096)")
        .hasMessageContaining("maxBytes: 10")
        .hasMessageContaining("fsyncInterval: PT0S");
  }

  @Test
  void append_afterClose_answersClosed() throws Exception {
    DurableQueue queue = open();
    queue.close();
    queue.close();
    assertThat(queue.append(bytes("x")).status()).isEqualTo(QueueAppend.Status.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void append_concurrentProducers_everyRecordOnceAndDurable(FsyncPolicy policy) throws Exception {
    QueueConfig config = QueueConfig.builder(dir).maxBytes(64 << 20).segmentBytes(64 << 10)
        .fsync(policy).fsyncInterval(Duration.ofMillis(2)).build();
    int producers = 4;
    int perProducer = 300;
    List<Long> seqs = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try (DurableQueue queue = open(config)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int id = p;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perProducer; i++) {
            QueueAppend result = queue.append(bytes(id + ":" + i + ":" + "x".repeat(i % 97)));
            assertThat(result.appended()).as("append %s", result).isTrue();
            seqs.add(result.seq());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seqs).hasSize(producers * perProducer).doesNotHaveDuplicates();
    try (DurableQueue queue = open(config)) {
      List<String> all = drain(queue);
      assertThat(all).hasSize(producers * perProducer).doesNotHaveDuplicates();
      for (int p = 0; p < producers; p++) {
        String prefix = p + ":";
        List<Integer> order = all.stream().filter(s -> s.startsWith(prefix))
            .map(s -> Integer.parseInt(s.split(":")[1])).toList();
        assertThat(order).as("producer %d in append order", p).isSorted().hasSize(perProducer);
      }
      // The records span several segments (reopening no longer adds an empty one: it needs no free space).
      assertThat(segmentFiles().size()).isGreaterThanOrEqualTo(2);
    }
    assertThat(listener.events).isEmpty();
  }

  private Path onlySegment() throws IOException {
    List<Path> files = segmentFiles();
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".seg")).toList());
      Collections.sort(files);
      return files;
    }
  }

  private static final class RecordingListener implements QueueListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void tailTruncated(Path segment, long offset, long bytes) {
      events.add("truncated " + segment.getFileName());
    }

    @Override
    public void corruptRegionSkipped(Path segment, long offset, long bytes) {
      events.add("skipped " + segment.getFileName());
    }
  }
}
