package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.tsk.Instrument;
import io.tskotel.tsk.SettingsException;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.TskParseException;
import io.tskotel.tsk.TskParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tskotel check FILE...}: parses each TSK file, reads the collector's sections as {@code tskotel run}
 * does (reporting the same errors) and prints what it declares. Every file is checked even after a bad one;
 * exit 0 when all are valid, 1 otherwise.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate TSK files and print their sections, instruments, fujsen, endpoints and thresholds.",
      "Exit 0 when every file is valid, 1 when one is not (errors on stderr), 2 on usage errors."
    })
public final class CheckCommand implements Callable<Integer> {
  static final int INVALID = 1;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "TSK files to check.")
  List<Path> files = new ArrayList<>();

  private final Map<String, String> environment;

  public CheckCommand() {
    this(System.getenv());
  }

  /** With the variables {@code @env} reads. */
  public CheckCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TskParser parser = Tsk.parser().environment(environment).build();
    boolean allValid = true;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (i > 0) {
        out.println();
      }
      try {
        Tsk tsk = parser.load(file);
        List<String> errors = settingsErrors(tsk);
        if (errors.isEmpty()) {
          out.println(file + ": valid");
          printSummary(tsk, out);
        } else {
          allValid = false;
          out.println(file + ": invalid (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + ")");
          errors.forEach(err::println);
        }
      } catch (TskParseException e) {
        allValid = false;
        int count = e.errors().size();
        out.println(file + ": invalid (" + count + (count == 1 ? " error" : " errors") + ")");
        err.println(e.getMessage());
      } catch (NoSuchFileException e) {
        allValid = false;
        out.println(file + ": invalid (cannot read)");
        err.println(file + ": no such file");
      } catch (IOException e) {
        allValid = false;
        out.println(file + ": invalid (cannot read)");
        err.println(file + ": cannot read: " + e.getMessage());
      }
    }
    out.flush();
    err.flush();
    return allValid ? ExitCode.OK : INVALID;
  }

  /** What {@code tskotel run} would refuse in this document: the same errors it prints. */
  private static List<String> settingsErrors(Tsk tsk) {
    try {
      CollectorSettings.from(tsk);
      return List.of();
    } catch (SettingsException e) {
      return e.errors();
    }
  }

  private static void printSummary(Tsk tsk, PrintWriter out) {
    List<String> fujsen = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    List<String> thresholds = new ArrayList<>();
    walk(tsk, "", tsk.getSection(""), fujsen, endpoints, thresholds);

    printList(out, "sections", tsk.sections());
    List<String> instruments = new ArrayList<>();
    int nameWidth = tsk.instruments().stream().mapToInt(i -> i.name().length()).max().orElse(0);
    for (Instrument instrument : tsk.instruments()) {
      instruments.add(
          String.format(
              "%-13s %-" + nameWidth + "s  unit=%s  (%s)",
              instrument.kind().tskName(),
              instrument.name(),
              instrument.unit().isEmpty() ? "-" : instrument.unit(),
              instrument.path()));
    }
    printList(out, "instruments", instruments);
    printList(out, "fujsen", fujsen);
    printList(out, "endpoints", endpoints);
    printList(out, "thresholds", thresholds);
  }

  /** Visits every table depth-first, collecting fujsen, {@code *_endpoint} and {@code *_threshold} keys. */
  private static void walk(
      Tsk tsk,
      String path,
      Map<String, @Nullable Object> table,
      List<String> fujsen,
      List<String> endpoints,
      List<String> thresholds) {
    tsk.fujsen(path).keySet().forEach(name -> fujsen.add(join(path, name)));
    for (Map.Entry<String, @Nullable Object> entry : table.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      String childPath = join(path, key);
      if (value instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) value;
        walk(tsk, childPath, child, fujsen, endpoints, thresholds);
      } else if (key.endsWith("_endpoint")) {
        endpoints.add(childPath + " = " + describe(value));
      } else if (key.endsWith("_threshold")) {
        thresholds.add(childPath + " = " + describe(value));
      }
    }
  }

  private static void printList(PrintWriter out, String title, List<String> lines) {
    out.println("  " + title + " (" + lines.size() + ")" + (lines.isEmpty() ? "" : ":"));
    lines.forEach(line -> out.println("    " + line));
  }

  /** A value and its type, as TSK would spell the value: {@code 80 (int)}, {@code "/health" (string)}. */
  static String describe(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      String s = (String) value;
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\" (string)";
    }
    if (value instanceof Integer) {
      return value + " (int)";
    }
    if (value instanceof Long) {
      return value + " (long)";
    }
    if (value instanceof Double) {
      return value + " (double)";
    }
    if (value instanceof Boolean) {
      return value + " (boolean)";
    }
    if (value instanceof List) {
      return value + " (array)";
    }
    if (value instanceof Instrument) {
      return "@metric " + ((Instrument) value).name() + " (instrument)";
    }
    return value.toString();
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
