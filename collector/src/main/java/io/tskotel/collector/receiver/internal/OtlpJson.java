package io.tskotel.collector.receiver.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The OTLP JSON mapping: protobuf's canonical JSON except that trace and span ids are hex strings,
 * not base64. protobuf-java-util does the rest (lowerCamelCase or original field names, enums as
 * integers or names, 64-bit integers as strings or numbers, unknown fields ignored as OTLP asks).
 */
public final class OtlpJson {
  /** Every OTLP field holding a trace or span id, in both JSON spellings; no other field has these names. */
  private static final Set<String> ID_FIELDS =
      Set.of(
          "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /** Merges OTLP JSON into {@code builder}; the exception's message says what is wrong. */
  public static void merge(byte[] json, Message.Builder builder) throws InvalidOtlpJsonException {
    // Jackson's tree (~8x the JSON) is gone once canonical() returns, before protobuf's parser builds its own.
    String canonical = canonical(json);
    try {
      PARSER.merge(canonical, builder);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new InvalidOtlpJsonException("invalid OTLP JSON: " + e.getMessage(), e);
    }
  }

  /** OTLP JSON with its hex ids as the canonical mapping's base64, for protobuf's JSON parser. */
  private static String canonical(byte[] json) throws InvalidOtlpJsonException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidOtlpJsonException("invalid JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new InvalidOtlpJsonException("invalid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidOtlpJsonException("invalid OTLP JSON: expected an object", null);
    }
    hexIdsToBase64(root);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JacksonException e) {
      throw new InvalidOtlpJsonException("invalid OTLP JSON: " + e.getMessage(), e);
    }
  }

  /** Prints a response or status; they hold no ids, so the canonical mapping is OTLP's. */
  public static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  private static void hexIdsToBase64(JsonNode node) throws InvalidOtlpJsonException {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
          field.setValue(TextNode.valueOf(hexToBase64(field.getKey(), value.textValue())));
        } else {
          hexIdsToBase64(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        hexIdsToBase64(element);
      }
    }
  }

  private static String hexToBase64(String field, String hex) throws InvalidOtlpJsonException {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidOtlpJsonException(
          "invalid OTLP JSON: " + field + " '" + Text.clip(hex) + "' is not hex", e);
    }
  }

  /** The request body is not OTLP JSON. */
  public static final class InvalidOtlpJsonException extends Exception {
    InvalidOtlpJsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
