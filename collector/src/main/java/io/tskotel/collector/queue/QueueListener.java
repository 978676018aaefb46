package io.tskotel.collector.queue;

import java.nio.file.Path;

/** Told about damage the queue found and repaired; the collector counts it in its own metrics. */
public interface QueueListener {

  /** A torn or corrupt tail was cut off {@code segment} at {@code offset}: {@code bytes} were dropped. */
  void tailTruncated(Path segment, long offset, long bytes);

  /** A corrupt region in the middle of {@code segment} was skipped; valid records after it were kept. */
  void corruptRegionSkipped(Path segment, long offset, long bytes);

  QueueListener NOOP =
      new QueueListener() {
        @Override
        public void tailTruncated(Path segment, long offset, long bytes) {}

        @Override
        public void corruptRegionSkipped(Path segment, long offset, long bytes) {}
      };
}
