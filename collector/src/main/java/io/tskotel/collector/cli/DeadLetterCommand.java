package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.pipeline.internal.DeadLetterFile;
import io.tskotel.collector.queue.DurableQueue;
import io.tskotel.collector.queue.QueueAppend;
import io.tskotel.collector.queue.QueueListener;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tskotel deadletter list|replay [--signal s]}: what the store refused for good (the dead-letter
 * files next to the queues), and putting it back once the cause is fixed. Replay appends each request to its
 * signal's durable queue and then removes the dead letters; the next {@code tskotel run} writes them (a
 * request still refused is dead-lettered again). The queue must not be in use: stop the collector first.
 */
@Command(
    name = "deadletter",
    mixinStandardHelpOptions = true,
    description = "List or replay requests the store refused permanently (the dead-letter files).",
    subcommands = {DeadLetterCommand.ListCommand.class, DeadLetterCommand.ReplayCommand.class})
public final class DeadLetterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("tskotel deadletter: missing command (list or replay)");
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The options both subcommands share. */
  static final class Options {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "TSK configuration file (default: the built-in tskotel.tsk).")
    @Nullable Path config;

    @Option(
        names = "--signal",
        paramLabel = "SIGNAL",
        description = "Only this signal: traces, metrics or logs (default: all).")
    @Nullable String signal;

    /** The selected signals, or null after printing the usage error. */
    @Nullable List<Signal> signals(PrintWriter err) {
      if (signal == null) {
        return List.of(Signal.values());
      }
      for (Signal s : Signal.values()) {
        if (CollectorMetrics.signalName(s).equals(signal.toLowerCase(Locale.ROOT))) {
          return List.of(s);
        }
      }
      err.println("tskotel deadletter: --signal " + signal + " (expected: traces, metrics or logs)");
      return null;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead-lettered requests.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options options = new Options();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Signal> signals = options.signals(err);
      CollectorSettings settings = signals == null ? null : Settings.load(options.config, System.getenv(), err);
      if (settings == null) {
        return 2;
      }
      Path directory = settings.pipeline().deadLetterDirectory();
      Table table = new Table("SIGNAL", "SEQ", "BYTES", "RECORDED");
      try {
        for (Signal signal : signals) {
          String name = CollectorMetrics.signalName(signal);
          for (DeadLetterFile.Entry e : DeadLetterFile.read(directory, name)) {
            table.row(name, e.seq(), e.request().length, e.line() == null ? "-" : e.line());
          }
        }
      } catch (IOException e) {
        err.println("tskotel deadletter: cannot read " + directory + ": " + e.getMessage());
        return 1;
      }
      if (table.isEmpty()) {
        out.println("no dead letters in " + directory);
      } else {
        table.print(out);
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = "Put dead-lettered requests back into their queue (collector stopped); the next run writes them.")
  static final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options options = new Options();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Signal> signals = options.signals(err);
      CollectorSettings settings = signals == null ? null : Settings.load(options.config, System.getenv(), err);
      if (settings == null) {
        return 2;
      }
      PipelineConfig pipeline = settings.pipeline();
      for (Signal signal : signals) {
        String name = CollectorMetrics.signalName(signal);
        try {
          List<DeadLetterFile.Entry> entries = DeadLetterFile.read(pipeline.deadLetterDirectory(), name);
          if (entries.isEmpty()) {
            continue;
          }
          // Appended before the dead letters go: a failure in between repeats requests, never loses them.
          try (DurableQueue queue = DurableQueue.open(pipeline.queueConfig(signal), QueueListener.NOOP)) {
            for (DeadLetterFile.Entry e : entries) {
              QueueAppend appended = queue.append(e.request());
              if (!appended.appended()) {
                err.println("tskotel deadletter: " + name + " queue refused request seq=" + e.seq() + " ("
                    + appended.status() + "); the dead letters are kept");
                return 1;
              }
            }
          }
          DeadLetterFile.delete(pipeline.deadLetterDirectory(), name);
          out.println(name + ": " + entries.size() + " dead-lettered requests put back into the queue;"
              + " the next `tskotel run` writes them");
        } catch (IOException e) {
          err.println("tskotel deadletter: " + name + ": " + e.getMessage()
              + " (is the collector running? stop it before replaying)");
          return 1;
        }
      }
      out.flush();
      return 0;
    }
  }
}
