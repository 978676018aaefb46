package io.tskotel.collector.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling for {@code tskotel run}.
 *
 * <p>The JVM's own handlers answer these signals with {@code System.exit(128 + signal)}: shutdown hooks
 * run, all at once and in no order, and the process exits 143 or 130 even after a perfect drain. Here the
 * first signal only starts the stop; the command's main thread waits for the drain and the store to close
 * and then returns its own exit code (0 when everything queued was written), after which {@code
 * System.exit} runs the remaining hooks (chDB's engine shutdown) with nothing else running. A second signal
 * while the drain runs exits at once with the conventional code: nothing acknowledged is lost, the queue
 * replays it on the next start.
 *
 * <p>{@code sun.misc.Signal} is the JDK's supported-but-unofficial API for this (module {@code
 * jdk.unsupported}); where it is not available (e.g. {@code -Xrs}) the command falls back to a shutdown
 * hook, which still drains but exits with the JVM's code.
 */
final class StopSignals {
  private static final Logger logger = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> NAMES = List.of("TERM", "INT");

  private StopSignals() {}

  /**
   * Calls {@code stop} at the first signal (it must return quickly: the command's main thread does the
   * stopping); returns whether the handlers are installed.
   */
  static boolean install(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    try {
      for (String name : NAMES) {
        Signal.handle(new Signal(name), signal -> {
          if (stopping.compareAndSet(false, true)) {
            logger.info("SIG{} received: stopping (a second signal stops at once, leaving the queue to the next start)",
                signal.getName());
            stop.run();
          } else {
            logger.warn("SIG{} received again: exiting without waiting for the drain", signal.getName());
            ForcedExit.now(128 + signal.getNumber());
          }
        });
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      logger.debug("cannot handle stop signals ({}); using a shutdown hook", e.toString());
      return false;
    }
  }
}
