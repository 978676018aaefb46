package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TSK text under a seeded mutation fuzzer: character, token and line edits of the corpus
 * ({@code src/test/resources/fuzz/tsk} and the seed document's fixtures). Every input either parses
 * (and then prints, re-parses to an equal document, and answers every typed getter with a value or
 * an error at {@code file:line:col}) or fails with {@link TskParseException} whose every error is at
 * a real {@code file:line:col} of the text. Anything else — another exception, a stack overflow, an
 * input that takes seconds — is a finding.
 *
 * <p>CI runs {@value #DEFAULT_INPUTS} inputs with a fixed seed. Longer runs:
 * {@code -Dtskotel.fuzz.inputs=1000000} or {@code -Dtskotel.fuzz.seconds=600}, and
 * {@code -Dtskotel.fuzz.seed=N}. Findings are written to {@code target/fuzz-findings}; keep each
 * (after fixing it) under the corpus as {@code crash-*.tsk}.
 */
class TskFuzzTest {
  static final int DEFAULT_INPUTS = 12_000;
  private static final String SOURCE = "fuzz.tsk";
  private static final Pattern LOCATED = Pattern.compile("^" + Pattern.quote(SOURCE) + ":\\d+:\\d+: \\S.*", Pattern.DOTALL);
  private static final long HANG_SECONDS = 5;
  private static final int MAX_FINDINGS = 25;
  private static final String[] TOKENS = {
    "[", "]", "[a.b]", "{", "}", "(", ")", "<", ">", ":", "=", ",", ".", "$", "$region", "@", "@env(", "@env(\"HOST\")",
    "@env(\"PORT\", 80)", "@env(\"NUM\", 1)", "@env(\"FLAG\", true)", "@metric(", "@metric(\"counter\", \"x\")",
    "@metric(\"histogram\")", "@date(", "@date(\"Y\")", "@unknown()", "'''", "\"\"\"", "\"", "'", "\\", "\\u", "\\uD800",
    "\\x", "#", "//", "_fujsen", "x_fujsen = '''\n", "true", "false", "null", "-", "0", "-0", "1e999", "-1e-999",
    "9223372036854775808", "2147483648", "-2147483649", "0x10", "1_000", "NaN", "Infinity", "\t", "\r", "\r\n",
    "\n", "\u00a0", "\ufeff", "\u0000", "\ud83d\ude00", "\ud800", "é", " ", "  ", "key:", "key: value", "\"7d\"",
    "\"99999999999999999999d\"", "\"1h30m\"", "\"0ms\""
  };

  /** The corpus: seeds ({@code seed-*} and the seed document's fixtures) and regression inputs ({@code crash-*}). */
  private static final Map<String, String> corpusFiles = new java.util.TreeMap<>();
  private static final List<String> corpus = new ArrayList<>();
  private static final AtomicLong parsedCount = new AtomicLong();
  private static final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tsk-fuzz");
    t.setDaemon(true);
    return t;
  });
  private static final TskParser parser =
      Tsk.parser()
          .environment(Map.of("HOST", "h1", "PORT", "4317", "NUM", "x1", "FLAG", "maybe", "RATIO", "0.25"))
          .clock(Clock.fixed(Instant.parse("2030-06-15T12:00:00Z"), ZoneOffset.UTC))
          .sourceName(SOURCE)
          .build();

  @BeforeAll
  static void loadCorpus() throws IOException, URISyntaxException {
    for (String dir : List.of("/fuzz/tsk", "/seed")) {
      Path path = Paths.get(TskFuzzTest.class.getResource(dir).toURI());
      try (Stream<Path> files = Files.list(path)) {
        for (Path file : files.sorted().collect(Collectors.toList())) {
          String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
          corpusFiles.put(dir + "/" + file.getFileName(), text);
          corpus.add(text);
        }
      }
    }
  }

  @AfterAll
  static void stopWorker() {
    worker.shutdownNow();
  }

  /** Parses one input on the worker and checks the outcome; returns what is wrong, or null. */
  static @Nullable String run(String text) {
    Future<String> outcome = worker.submit(() -> check(text));
    try {
      return outcome.get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return "no result after " + HANG_SECONDS + " s (a hang?)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (java.util.concurrent.ExecutionException e) {
      return "threw " + e.getCause();
    }
  }

  private static @Nullable String check(String text) {
    Tsk tsk;
    try {
      tsk = parser.parse(text);
    } catch (TskParseException e) {
      return checkErrors(text, e);
    } catch (RuntimeException | StackOverflowError e) {
      return "parse threw " + e;
    }
    try {
      String printed = tsk.toString();
      Tsk reparsed;
      try {
        reparsed = parser.parse(printed);
      } catch (TskParseException e) {
        return "printed form does not parse: " + e.getMessage() + "\n--- printed:\n" + printed;
      }
      if (!reparsed.equals(tsk)) {
        return "printed form parses to a different document\n--- printed:\n" + printed;
      }
      tsk.instruments();
      tsk.variables();
      for (String section : tsk.sections()) {
        tsk.fujsen(section);
      }
      parsedCount.incrementAndGet();
      return checkGetters(tsk, "", tsk.getSection(""));
    } catch (RuntimeException | StackOverflowError e) {
      return "a parsed document threw " + e;
    }
  }

  private static @Nullable String checkErrors(String text, TskParseException e) {
    String[] lines = text.split("\n", -1);
    if (e.errors().isEmpty()) {
      return "TskParseException without errors";
    }
    for (TskError error : e.errors()) {
      if (!LOCATED.matcher(error.toString()).matches()) {
        return "error not at file:line:col: " + error;
      }
      if (error.line() < 1 || error.line() > lines.length) {
        return "error on line " + error.line() + " of " + lines.length + ": " + error;
      }
      if (error.column() < 1 || error.column() > error.lineText().length() + 1) {
        return "error at column " + error.column() + " of a " + error.lineText().length() + "-char line: " + error;
      }
    }
    if (!e.getMessage().startsWith(e.errors().get(0).toString())) {
      return "message does not start with the first error: " + e.getMessage();
    }
    return null;
  }

  /** Every typed getter on every key: a value, or an error that says where. */
  private static @Nullable String checkGetters(Tsk tsk, String prefix, @Nullable Map<String, @Nullable Object> table) {
    if (table == null) {
      return null;
    }
    for (Map.Entry<String, @Nullable Object> entry : table.entrySet()) {
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      if (path.contains("..") || entry.getKey().isEmpty()) {
        continue; // not addressable by a dotted path
      }
      List<Runnable> getters = List.of(
          () -> tsk.getString(path, null), () -> tsk.getInt(path, 0), () -> tsk.getLong(path, 0),
          () -> tsk.getDouble(path, 0), () -> tsk.getBoolean(path, false), () -> tsk.getDuration(path, null),
          () -> tsk.getList(path, null), () -> tsk.getSection(path, null), () -> tsk.keys(path));
      for (Runnable getter : getters) {
        try {
          getter.run();
        } catch (IllegalArgumentException | NoSuchElementException e) {
          if (!LOCATED.matcher(e.getMessage()).matches()) {
            return "getter error not at file:line:col: " + e.getMessage();
          }
        }
      }
      if (entry.getValue() instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) entry.getValue();
        String problem = checkGetters(tsk, path, child);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** One to five edits: characters, tokens, lines, splices from another corpus file, cuts, deep nesting. */
  static String mutate(Random random, String text, String other) {
    StringBuilder s = new StringBuilder(text);
    int edits = 1 + random.nextInt(5);
    for (int i = 0; i < edits; i++) {
      int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
      switch (random.nextInt(9)) {
        case 0:
          if (s.length() > 0 && at < s.length()) {
            s.deleteCharAt(at);
          }
          break;
        case 1:
          s.insert(at, (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
          break;
        case 2:
        case 3:
          s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
          break;
        case 4:
          s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(40)));
          break;
        case 5: {
          List<String> lines = new ArrayList<>(List.of(s.toString().split("\n", -1)));
          int line = random.nextInt(lines.size());
          switch (random.nextInt(3)) {
            case 0:
              lines.add(line, lines.get(random.nextInt(lines.size())));
              break;
            case 1:
              lines.remove(line);
              break;
            default:
              String[] others = other.split("\n", -1);
              lines.add(line, others[random.nextInt(others.length)]);
              break;
          }
          s = new StringBuilder(String.join("\n", lines));
          break;
        }
        case 6:
          s.setLength(at);
          break;
        case 7: {
          int depth = random.nextInt(4) == 0 ? 90 + random.nextInt(3_000) : random.nextInt(50);
          String open = random.nextBoolean() ? "[" : "{ a: ";
          String close = open.equals("[") ? "]" : "}";
          String nested = open.repeat(depth) + "1" + (random.nextBoolean() ? close.repeat(depth) : "");
          s.insert(at, random.nextBoolean() ? "\nk: " + nested + "\n" : nested);
          break;
        }
        default: {
          int from = random.nextInt(other.length() + 1);
          s.insert(at, other, from, Math.min(other.length(), from + random.nextInt(120)));
          break;
        }
      }
    }
    return s.toString();
  }

  @Test
  void corpus_everyInputParsesOrFailsAtALocation() {
    assertThat(corpusFiles.keySet()).anyMatch(name -> name.contains("/crash-"));
    corpusFiles.forEach((name, text) -> assertThat(run(text)).as(name).isNull());
  }

  @Test
  void seeds_parse() {
    corpusFiles.forEach((name, text) -> {
      if (!name.contains("/crash-")) {
        assertThatCode(() -> parser.parse(text)).as(name).doesNotThrowAnyException();
      }
    });
  }

  @Test
  void fuzz_mutatedText_parsesOrFailsAtALocation() throws IOException {
    long seed = Long.getLong("tskotel.fuzz.seed", 20261201L);
    long inputs = Long.getLong("tskotel.fuzz.inputs", DEFAULT_INPUTS);
    long seconds = Long.getLong("tskotel.fuzz.seconds", 0L);
    long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    Random random = new Random(seed);
    List<String> findings = new ArrayList<>();
    long started = System.nanoTime();
    long parsedBefore = parsedCount.get();
    long sent = 0;
    for (; seconds > 0 ? System.nanoTime() < deadline : sent < inputs; sent++) {
      String text = corpus.get(random.nextInt(corpus.size()));
      String other = corpus.get(random.nextInt(corpus.size()));
      // Stack edits now and then, so some inputs wander far from any seed.
      int rounds = random.nextInt(8) == 0 ? 2 + random.nextInt(6) : 1;
      for (int r = 0; r < rounds; r++) {
        text = mutate(random, text, other);
      }
      String problem = run(text);
      if (problem == null) {
        continue;
      }
      findings.add(record(seed, sent, text, problem));
      if (findings.size() >= MAX_FINDINGS || problem.startsWith("no result")) {
        break;
      }
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "TSK fuzz: %d inputs (seed %d) in %.1f s: %d parsed, the rest refused; %d findings%n",
        sent, seed, elapsed, parsedCount.get() - parsedBefore, findings.size());
    assertThat(findings).isEmpty();
  }

  private static String record(long seed, long iteration, String text, String problem) throws IOException {
    Path dir = Paths.get("target", "fuzz-findings");
    Files.createDirectories(dir);
    Path file = dir.resolve("crash-" + seed + "-" + iteration + ".tsk");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    return "input " + iteration + " (saved as " + file + "): " + problem;
  }
}
