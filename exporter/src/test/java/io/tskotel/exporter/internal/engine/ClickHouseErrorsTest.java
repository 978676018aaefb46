package io.tskotel.exporter.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClickHouseErrorsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Code: 241. DB::Exception: Query memory limit exceeded: would use 12.06 MiB. (MEMORY_LIMIT_EXCEEDED)",
        "Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower. (TOO_MANY_PARTS)",
        "Code: 159. DB::Exception: Timeout exceeded: elapsed 301.605 ms, maximum: 300 ms. (TIMEOUT_EXCEEDED)",
        "Code: 202. DB::Exception: Too many simultaneous queries. (TOO_MANY_SIMULTANEOUS_QUERIES)",
        "Code: 394. DB::Exception: Query was cancelled. (QUERY_WAS_CANCELLED)"
      })
  void classify_passingTrouble_isRetryable(String message) {
    StoreException e = ClickHouseErrors.classify(message);

    assertThat(e.retryable()).isTrue();
    assertThat(e).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Code: 62. DB::Exception: Syntax error: failed at position 1 (SELEC). (SYNTAX_ERROR)",
        "Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)",
        "Code: 47. DB::Exception: Unknown expression identifier `Nope`. (UNKNOWN_IDENTIFIER)",
        "Code: 53. DB::Exception: Type mismatch. (TYPE_MISMATCH)",
        "Code: 33. DB::Exception: Cannot read all data. Bytes read: 2. (CANNOT_READ_ALL_DATA)",
        "Code: 164. DB::Exception: Cannot execute query in readonly mode. (READONLY)",
        "Code: 396. DB::Exception: Limit for result exceeded, max rows: 10. (TOO_MANY_ROWS_OR_BYTES)",
        "something failed without a code"
      })
  void classify_badStatementOrData_isPermanent(String message) {
    assertThat(ClickHouseErrors.classify(message).retryable()).isFalse();
  }

  @Test
  void code_findsFirstCode() {
    assertThat(ClickHouseErrors.code("Code: 164. DB::Exception: Code: 165. x")).isEqualTo(164);
    assertThat(ClickHouseErrors.code("no code")).isEqualTo(-1);
  }

  @Test
  void classify_trimsTrailingNewline() {
    assertThat(ClickHouseErrors.classify("Code: 62. DB::Exception: bad\n")).hasMessage("Code: 62. DB::Exception: bad");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "Code: 60. DB::Exception: Table otel.otel_logs does not exist. (UNKNOWN_TABLE)|table missing",
        "Code: 81. DB::Exception: Database otel does not exist. (UNKNOWN_DATABASE)|database missing",
        "Code: 516. DB::Exception: default: Authentication failed. (AUTHENTICATION_FAILED)|authentication failed",
        "Code: 164. DB::Exception: Cannot execute query in readonly mode. (READONLY)|server is read-only",
        "Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)|server disk full",
        "Code: 252. DB::Exception: Too many parts (300). (TOO_MANY_PARTS)|too many parts",
        "Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)|unexpected store error 62",
        "something failed without a code|unexpected store error"
      })
  void classify_storeTrouble_keepsTheDataWithAFixedReason(String message, String reason) {
    StoreException e = ClickHouseErrors.classify(message);

    assertThat(e.fault()).isEqualTo(StoreException.Fault.STORE);
    assertThat(e.reason()).isEqualTo(reason).doesNotContain("DB::Exception");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Code: 53. DB::Exception: Type mismatch. (TYPE_MISMATCH)",
        "Code: 33. DB::Exception: Cannot read all data. Bytes read: 2. (CANNOT_READ_ALL_DATA)",
        "Code: 27. DB::Exception: Cannot parse input. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)"
      })
  void classify_dataTheEngineCannotRead_isTheOnlyDataFault(String message) {
    StoreException e = ClickHouseErrors.classify(message);

    assertThat(e.fault()).isEqualTo(StoreException.Fault.DATA);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void classify_passingTrouble_isTransient() {
    assertThat(ClickHouseErrors.classify("Code: 159. DB::Exception: Timeout exceeded. (TIMEOUT_EXCEEDED)").fault())
        .isEqualTo(StoreException.Fault.TRANSIENT);
  }
}
