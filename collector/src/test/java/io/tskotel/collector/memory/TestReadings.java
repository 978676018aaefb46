package io.tskotel.collector.memory;

/**
 * Memory readings a test sets, on a heap of {@link #MAX} bytes; a GC ({@link #gc}) drops the heap to what
 * {@link #afterGc} says.
 */
public class TestReadings implements MemoryReadings {
  public static final long MAX = 1000;

  public volatile long heap;
  public volatile long afterGc = -1;
  public volatile long resident = -1;
  /** Collections seen, or -1 (the default) for readings that do not say. */
  public volatile long collections = -1;

  public TestReadings() {}

  public TestReadings(long heap) {
    this.heap = heap;
  }

  @Override
  public long heapUsed() {
    return heap;
  }

  @Override
  public long heapMax() {
    return MAX;
  }

  @Override
  public long residentBytes() {
    return resident;
  }

  @Override
  public long collections() {
    return collections;
  }

  public void gc() {
    if (afterGc >= 0) {
      heap = afterGc;
    }
    if (collections >= 0) {
      collections++;
    }
  }
}
