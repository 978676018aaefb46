package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the admin API: exit 0 on success, 1 when the API fails or cannot be reached. */
abstract class ApiCommand implements Callable<Integer> {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin ApiOptions api;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      run(api.client(), out);
      out.flush();
      return 0;
    } catch (ApiClient.ApiException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("tskotel " + spec.qualifiedName(" ").replaceFirst("^\\S+ ", "") + ": " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  abstract void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException;

  static void printJson(PrintWriter out, JsonNode node) {
    try {
      out.println(PRETTY.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A number as a person reads it: integers without ".0", others with up to 6 significant decimals. */
  static String number(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "-";
    }
    if (!n.isNumber()) {
      return n.asText();
    }
    double d = n.asDouble();
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
