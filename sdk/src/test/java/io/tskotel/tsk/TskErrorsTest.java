package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every error kind, each at its exact {@code line:col}. */
class TskErrorsTest {

  private static TskParseException fail(String text) {
    return fail(text, Map.of());
  }

  private static TskParseException fail(String text, Map<String, String> environment) {
    TskParser parser = Tsk.parser().environment(environment).sourceName("test.tsk").build();
    TskParseException e = catchThrowableOfType(TskParseException.class, () -> parser.parse(text));
    assertThat(e).as("expected a parse error in:\n%s", text).isNotNull();
    return e;
  }

  /** The errors as {@code line:col: message}. */
  private static List<String> errors(TskParseException e) {
    return e.errors().stream()
        .map(err -> err.line() + ":" + err.column() + ": " + err.message())
        .collect(Collectors.toList());
  }

  private static void assertSingleError(String text, String lineCol, String messagePart) {
    assertSingleError(text, Map.of(), lineCol, messagePart);
  }

  private static void assertSingleError(
      String text, Map<String, String> environment, String lineCol, String messagePart) {
    List<String> errors = errors(fail(text, environment));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith(lineCol + ": ").contains(messagePart);
  }

  @Test
  void unterminatedString_pointsAtTheOpeningQuote() {
    assertSingleError("[a]\nname: \"abc\nport: 1\n", "2:7", "unterminated string");
  }

  @Test
  void unterminatedSingleQuotedString() {
    assertSingleError("[a]\nx: 'abc\n", "2:4", "unterminated string");
  }

  @Test
  void unterminatedTripleQuotedString_pointsAtTheOpener() {
    assertSingleError("[a]\nok: 1\nbody = '''\ndef f():\n  pass\n", "3:8", "unterminated ''' string");
    assertSingleError("[a]\nbody = \"\"\"\n'''\n", "2:8", "unterminated \"\"\" string");
  }

  @Test
  void unknownEscape() {
    assertSingleError("[a]\nx: \"a\\qb\"\n", "2:6", "unknown escape '\\q'");
  }

  @Test
  void invalidUnicodeEscape() {
    assertSingleError("[a]\nx: \"\\u12G4\"\n", "2:5", "invalid unicode escape");
  }

  @Test
  void blockCloseNotLinedUpWithItsOpener() {
    String text = "[server]\nhttp {\n  port: 8080\n  }\n";
    assertSingleError(text, "4:3", "'}' closing block 'http {' must start its own line at column 1");
  }

  @Test
  void blockCloseAfterAnEntryOnTheSameLine() {
    assertSingleError("http >\n  port: 8080 <\n", "2:14", "must start its own line at column 1");
  }

  @Test
  void blockClosedByTheWrongToken() {
    assertSingleError("[s]\nhttp {\n  port: 1\n<\n", "4:1", "'<' does not close block 'http {' opened at line 2");
  }

  @Test
  void blockNeverClosed_pointsAtTheOpener() {
    assertSingleError("[s]\nhttp {\n  port: 1\n", "2:6", "unclosed block 'http {'");
  }

  @Test
  void blockNeverClosedBeforeTheNextSection() {
    List<String> errors = errors(fail("[s]\nhttp >\n  port: 1\n[t]\nx: 1\n"));
    assertThat(errors).containsExactly("2:6: unclosed block 'http >': expected '<' before the section header at line 4");
  }

  @Test
  void closeWithoutOpenBlock() {
    assertSingleError("[s]\nx: 1\n}\n", "3:1", "unexpected '}': no block is open");
  }

  @Test
  void unknownOperator_listsTheKnownOnes() {
    assertSingleError(
        "[s]\ncpu: @foo(1, 2)\n", "2:6", "unknown operator @foo (known: @date, @env, @metric)");
  }

  @Test
  void operatorWithoutParentheses() {
    assertSingleError("[s]\nx: @env\n", "2:8", "expected '(' after @env");
  }

  @Test
  void envValueThatDoesNotConvert_namesTheVariable() {
    String text = "[alerting]\ncpu_threshold: @env(\"CPU_THRESHOLD\", 80)\n";
    assertSingleError(
        text, Map.of("CPU_THRESHOLD", "high"), "2:16", "environment variable CPU_THRESHOLD is not an integer");
  }

  @Test
  void envConversionErrorNeverEchoesTheValue() {
    TskParseException e =
        fail("[db]\nport: @env(\"DB_PORT\", 5432)\n", Map.of("DB_PORT", "s3cr3t-value"));
    assertThat(e.getMessage()).contains("DB_PORT").doesNotContain("s3cr3t-value");
  }

  @Test
  void envBooleanAndDoubleConversionErrors() {
    List<String> errors =
        errors(
            fail(
                "[t]\nenabled: @env(\"TRACE_ENABLED\", true)\nsampler: @env(\"TRACE_SAMPLER\", 0.1)\n",
                Map.of("TRACE_ENABLED", "maybe", "TRACE_SAMPLER", "ten percent")));
    assertThat(errors)
        .containsExactly(
            "2:10: environment variable TRACE_ENABLED is not a boolean (true/false, yes/no, on/off, 1/0)"
                + " (the default true sets the type)",
            "3:10: environment variable TRACE_SAMPLER is not a number (the default 0.1 sets the type)");
  }

  @Test
  void envWithoutDefaultAndUnset() {
    assertSingleError(
        "[db]\npassword: @env(\"DB_PASSWORD\")\n",
        "2:11",
        "environment variable DB_PASSWORD is not set and @env(\"DB_PASSWORD\") has no default");
  }

  @Test
  void envWithWrongArguments() {
    assertSingleError("[s]\nx: @env(42)\n", "2:9", "@env: the variable name must be a non-empty string");
    assertSingleError("[s]\nx: @env()\n", "2:4", "@env takes 1 or 2 arguments");
    assertSingleError("[s]\nx: @env(\"A\", [1])\n", "2:14", "@env: the default must be a string");
  }

  @Test
  void metricWithUnknownKind() {
    assertSingleError(
        "[m]\nc: @metric(\"countr\", \"x_total\")\n",
        "2:12",
        "unknown instrument kind \"countr\" (known: counter, updowncounter, histogram, gauge)");
  }

  @Test
  void metricWithInvalidNameOrArity() {
    assertSingleError("[m]\nc: @metric(\"counter\", \"1bad\")\n", "2:23", "invalid instrument name \"1bad\"");
    assertSingleError("[m]\nc: @metric(\"counter\")\n", "2:4", "@metric takes 2 to 4 arguments");
  }

  @Test
  void metricOutsideAKeyValue() {
    assertSingleError("[m]\nc: [@metric(\"counter\", \"x\")]\n", "2:5", "@metric declares an instrument");
  }

  @Test
  void dateWithInvalidFormat() {
    assertSingleError("[m]\nd: @date(\"yyyy-MM-dd {\")\n", "2:10", "invalid @date format");
  }

  @Test
  void duplicateKey_pointsAtBothLines() {
    assertSingleError(
        "[alerting]\ncpu_threshold: 80\nmemory_threshold: 85\ncpu_threshold: 90\n",
        "4:1",
        "duplicate key 'alerting.cpu_threshold' (first defined at line 2, column 1)");
  }

  @Test
  void duplicateKeyInABlockAndInAnInlineObject() {
    assertSingleError("srv {\n  a: 1\n  a = 2\n}\n", "3:3", "duplicate key 'srv.a' (first defined at line 2, column 3)");
    assertSingleError("x: [{ a: 1, a: 2 }]\n", "1:13", "duplicate key 'a' (first defined at line 1, column 7)");
  }

  @Test
  void duplicateSection() {
    assertSingleError("[a]\nx: 1\n[a]\ny: 2\n", "3:2", "duplicate section [a] (first declared at line 1, column 2)");
  }

  @Test
  void sectionConflictingWithAKey() {
    assertSingleError("[a]\nb: 1\n[a.b]\n", "3:2", "section [a.b] conflicts with key 'a.b' defined at line 2");
  }

  @Test
  void dottedKeyConflictingWithAValue() {
    assertSingleError("a: 1\na.b: 2\n", "2:1", "key 'a.b' conflicts with 'a' defined at line 1, column 1");
  }

  @Test
  void duplicateVariable() {
    assertSingleError("$x: 1\n$x: 2\n", "2:1", "duplicate variable $x (first defined at line 1, column 1)");
  }

  @Test
  void undefinedVariable() {
    assertSingleError("$a: 1\n[s]\nx: $b\n", "3:4", "undefined variable $b (defined before this line: $a)");
  }

  @Test
  void unclosedArray_pointsAtTheOpeningBracket() {
    List<String> errors = errors(fail("[s]\nports: [4317, 4318\nhost: \"h\"\n"));
    assertThat(errors).containsExactly("2:8: unclosed '[': expected ']' before line 3");
  }

  @Test
  void unclosedArrayAtEndOfFile() {
    assertSingleError("[s]\nports: [4317,\n  4318,\n", "2:8", "unclosed '[': expected ']' before end of file");
  }

  @Test
  void arrayClosedByTheWrongBracket() {
    assertSingleError("[s]\nports: [4317, 4318}\n", "2:19", "expected ',' or ']' after an element, found '}'");
  }

  @Test
  void strayClosingBracket() {
    assertSingleError("[s]\nports: [1]]\n", "2:11", "expected ',' or end of line after the entry, found ']'");
  }

  @Test
  void unclosedInlineObjectOnOneLine() {
    assertSingleError("[s]\nx: { a: 1\ny: 2\n", "2:4", "unclosed '{'");
  }

  @Test
  void unclosedOperatorArguments() {
    assertSingleError("[s]\nx: @env(\"A\", 1\ny: 2\n", "2:8", "unclosed '(': expected ')' before line 3");
  }

  @Test
  void sectionHeaderErrors() {
    assertSingleError("[s\nx: 1\n", "1:3", "expected ']' to close the section header [s");
    assertSingleError("[1s]\n", "1:2", "invalid number '1s'");
    assertSingleError("[a..b]\n", "1:2", "invalid key 'a..b'");
    assertSingleError("[a] x: 1\n", "1:5", "unexpected 'x' after the section header [a]");
  }

  @Test
  void unquotedText() {
    assertSingleError("[logging]\nlevel: info\n", "2:8", "unquoted text 'info': strings must be quoted (\"info\")");
  }

  @Test
  void invalidNumberSuggestsQuotingDurations() {
    assertSingleError("[q]\ntimeout: 30s\n", "2:10", "invalid number '30s' (durations are strings: \"30s\")");
  }

  @Test
  void keyWithoutValue() {
    assertSingleError("[q]\ntimeout:\nx: 1\n", "2:9", "expected a value, found end of line");
    assertSingleError("[q]\ntimeout\nx: 1\n", "2:8", "expected ':' or '=' after key 'timeout'");
  }

  @Test
  void unexpectedCharacter() {
    assertSingleError("[q]\nx: 1 ! 2\n", "2:6", "unexpected '!'");
  }

  @Test
  void fujsenMustBeAString() {
    assertSingleError("[q]\ncheck_fujsen: 42\n", "2:1", "'check_fujsen' declares fujsen 'check' and must hold its body as a string");
  }

  @Test
  void integerOutOfRange() {
    assertSingleError("x: 99999999999999999999\n", "1:4", "integer 99999999999999999999 is out of range");
  }

  @Test
  void sigilWithoutName() {
    assertSingleError("[s]\nx: $\n", "2:4", "expected a variable name after '$'");
    assertSingleError("$1: 2\n", "1:1", "expected a variable name after '$'");
    assertSingleError("[s]\nx: @ (1)\n", "2:4", "expected an operator name after '@'");
  }

  @Test
  void floatOutOfRangeAndNumberFollowedByText() {
    assertSingleError("x: 1e999\n", "1:4", "float 1e999 is out of range");
    assertSingleError("x: 12abc\n", "1:4", "invalid number '12abc' (text values must be quoted)");
  }

  @Test
  void sectionHeaderNotAtTheStartOfItsLine() {
    assertSingleError("x: 1, [a]\n", "1:7", "a section header must start its line");
  }

  @Test
  void sectionHeaderWithoutAName() {
    assertSingleError("[\"a\"]\n", "1:2", "expected a section name after '[', found string \"a\"");
  }

  @Test
  void variableWithoutAssignment() {
    assertSingleError("[s]\n$v 1\n", "2:4", "expected ':' or '=' after variable $v, found '1'");
  }

  @Test
  void lineStartingWithoutAKey() {
    assertSingleError(
        "[s]\n= 1\n", "2:1", "expected a key, a $variable or a [section] header, found '='");
  }

  @Test
  void oneLineBlockNotClosedOnItsLine_pointsAtTheOpener() {
    assertSingleError(
        "http > port: 1\n",
        "1:6",
        "unclosed block 'http >': a '>' followed by entries on its line must close on that line");
  }

  @Test
  void tokensAfterAValue() {
    assertSingleError("x: \"a\" \"b\"\n", "1:8", "expected ',' or end of line after the entry, found string \"b\"");
    assertSingleError("x: [1 2]\n", "1:7", "expected ',' or ']' after an element, found '2' (the '[' opened at line 1, column 4)");
    assertSingleError("x: @env(\"A\", 1]\n", "1:15", "expected ',' or ')' after an element, found ']'");
  }

  @Test
  void fujsenKeyWithoutAName() {
    assertSingleError("[s]\n_fujsen: 'x'\n", "2:1", "a fujsen key needs a function name before '_fujsen'");
  }

  @Test
  void metricArgumentThatIsNotAString() {
    assertSingleError("m: @metric(\"counter\", 5)\n", "1:23", "@metric: the name must be a string");
  }

  @Test
  void dateWithWrongArguments() {
    assertSingleError("d: @date(\"a\", \"b\")\n", "1:4", "@date takes at most 1 argument (a format), got 2");
    assertSingleError("d: @date(1)\n", "1:10", "@date: the format must be a string such as \"yyyy-MM-dd\"");
  }

  @Test
  void envIntegerDefault_refusesFractionsAndValuesBeyond64Bits() {
    String text = "p: @env(\"P\", 80)\n";
    assertSingleError(text, Map.of("P", "1.5"), "1:4", "environment variable P is not an integer");
    assertSingleError(text, Map.of("P", "99999999999999999999"), "1:4", "environment variable P is not an integer");
    assertSingleError(text, Map.of("P", ""), "1:4", "environment variable P is not an integer");
  }

  @Test
  void byteOrderMark_isNotPartOfTheReportedLine() {
    TskError error = fail("\uFEFF[s] x\n").errors().get(0);
    assertThat(error.line() + ":" + error.column()).isEqualTo("1:5");
    assertThat(error.lineText()).isEqualTo("[s] x");
    assertThat(error.format()).endsWith("\n[s] x\n    ^");
  }

  @Test
  void noLineIsSilentlySkipped() {
    String text = "[s]\nfoo\nbar baz\n123\n\"str\"\n: x\n= 1\nok: 1\n";
    List<TskError> errors = fail(text).errors();
    assertThat(errors).extracting(TskError::line).containsExactly(2, 3, 4, 5, 6, 7);
  }

  @Test
  void severalErrorsAreReportedInOnePass() {
    String text =
        "[alerting]\n" // 1
            + "cpu_threshold: @env(\"CPU_THRESHOLD\", 80)\n" // 2: bad conversion
            + "name: \"open\n" // 3: unterminated string
            + "window: 5m\n" // 4: invalid number
            + "x: @nope()\n" // 5: unknown operator
            + "cpu_threshold: 1\n" // 6: duplicate key
            + "ok: [1, 2,\n" // 7: unclosed array
            + "http {\n" // 8
            + "  port: 1\n" // 9
            + " }\n"; // 10: bad close
    TskParseException e = fail(text, Map.of("CPU_THRESHOLD", "lots"));
    assertThat(errors(e))
        .extracting(s -> s.substring(0, s.indexOf(": ")))
        .containsExactly("2:16", "3:7", "4:9", "5:4", "6:1", "7:5", "10:2");
  }

  @Test
  void errorFormat_fileLineColMessageLineAndCaret() {
    TskParseException e = fail("[s]\n\tcpu: @foo(1)\n");
    TskError error = e.errors().get(0);
    assertThat(error.source()).isEqualTo("test.tsk");
    assertThat(error.lineText()).isEqualTo("\tcpu: @foo(1)");
    assertThat(error.format())
        .isEqualTo(
            "test.tsk:2:7: unknown operator @foo (known: @date, @env, @metric)\n"
                + "\tcpu: @foo(1)\n"
                + "\t     ^");
    assertThat(e.getMessage()).isEqualTo(error.format());
  }

  @Test
  void errorsNameTheLoadedFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("bad.tsk");
    java.nio.file.Files.writeString(file, "[s]\nx: nope\n");
    assertThatThrownBy(() -> Tsk.load(file))
        .isInstanceOf(TskParseException.class)
        .hasMessageStartingWith(file + ":2:4: unquoted text 'nope'");
  }

  @Test
  void deepNesting_anErrorAtTheFirstLevelTooDeep() {
    // Found by TskFuzzTest: thousands of open brackets ended in a StackOverflowError.
    String deep = "[".repeat(5000) + "1" + "]".repeat(5000);
    assertSingleError("[a]\nk: " + deep + "\nafter: 1\n", "2:104", "nested more than 100 levels deep");
    assertSingleError("[a]\nk: " + "{ a: ".repeat(3000) + "1\n", "2:504", "nested more than 100 levels deep");
    assertThat(Tsk.parse("[a]\nk: " + "[".repeat(100) + "1" + "]".repeat(100) + "\n").getList("a.k")).hasSize(1);
  }
}
