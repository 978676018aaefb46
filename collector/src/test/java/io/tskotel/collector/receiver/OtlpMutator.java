package io.tskotel.collector.receiver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded, structure-aware mutations of OTLP requests: field-level edits of a protobuf message through
 * its descriptors (interesting numbers, ids of every wrong length, odd strings, unknown enum values,
 * deep nesting), tree edits of its OTLP JSON, and byte-level edits of either encoding. The same seed
 * gives the same inputs, so every finding can be replayed.
 */
public final class OtlpMutator {
  /** Writes (and re-reads) documents deeper than the receiver's parser takes, to test that limit. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(5_000).build())
              .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(5_000).build())
              .build());
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final long[] LONGS = {
    0, 1, -1, 2, 127, 128, 255, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
    1_700_000_000_000_000_000L
  };
  private static final double[] DOUBLES = {
    0.0, -0.0, 1.0, -1.0, 0.5, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
    Double.MAX_VALUE, Double.MIN_VALUE, 1e-300
  };
  private static final String[] STRINGS = {
    "", " ", "a", "\u0000", "\uD800", "\uDC00x", "\uD83D\uDE00", "é", "%s%n%d", "'; DROP TABLE otel_traces; --",
    "{\"json\":1}", "\r\n", "\\", "a".repeat(100), "界".repeat(70)
  };
  private static final String[] JSON_TEXT = {
    "\"\"", "\"x\"", "0", "-1", "1e309", "-0", "18446744073709551616", "9223372036854775808", "1.5", "true",
    "null", "[]", "{}", "\"NaN\"", "\"Infinity\"", "\"00\"", "\"zz\"", "\"AAAAAAAAAAAAAAAAAAAAAA==\"",
    "\"0102030405060708090a0b0c0d0e0f1011\"", "\"SPAN_KIND_NOPE\"", "\"" + "f".repeat(32) + "\"", "[[[[[[[[1]]]]]]]]"
  };

  private final Random random;

  public OtlpMutator(Random random) {
    this.random = random;
  }

  // ---- protobuf ----------------------------------------------------------------------------------

  /** One to four field-level edits of {@code seed}. */
  public Message mutate(Message seed) {
    Message.Builder builder = seed.toBuilder();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      try {
        edit(builder, 0);
      } catch (RuntimeException e) {
        // An edit the message type does not allow (e.g. an enum value protobuf refuses): skip it.
      }
    }
    return builder.build();
  }

  private void edit(Message.Builder builder, int depth) {
    List<FieldDescriptor> fields = builder.getDescriptorForType().getFields();
    FieldDescriptor field = fields.get(random.nextInt(fields.size()));
    boolean descend = depth < 12 && random.nextInt(10) < 7;
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (field.isRepeated()) {
        int count = builder.getRepeatedFieldCount(field);
        if (descend && count > 0) {
          edit(builder.getRepeatedFieldBuilder(field, random.nextInt(count)), depth + 1);
        } else {
          editRepeatedMessage(builder, field, count);
        }
      } else if (descend) {
        edit(builder.getFieldBuilder(field), depth + 1);
      } else if (random.nextBoolean()) {
        builder.clearField(field);
      } else if (field.getMessageType().equals(AnyValue.getDescriptor())) {
        builder.setField(field, deepValue(random.nextInt(4) == 0 ? 150 : random.nextInt(30)));
      } else {
        builder.setField(field, builder.newBuilderForField(field).build());
      }
      return;
    }
    if (field.isRepeated()) {
      switch (random.nextInt(3)) {
        case 0 -> builder.clearField(field);
        case 1 -> {
          int n = 1 + random.nextInt(random.nextInt(8) == 0 ? 2000 : 4);
          for (int i = 0; i < n; i++) {
            builder.addRepeatedField(field, scalar(field));
          }
        }
        default -> {
          if (builder.getRepeatedFieldCount(field) > 0) {
            builder.setRepeatedField(field, random.nextInt(builder.getRepeatedFieldCount(field)), scalar(field));
          }
        }
      }
    } else if (random.nextInt(6) == 0) {
      builder.clearField(field);
    } else {
      builder.setField(field, scalar(field));
    }
  }

  private void editRepeatedMessage(Message.Builder builder, FieldDescriptor field, int count) {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(builder.getRepeatedField(field, i));
    }
    switch (random.nextInt(5)) {
      case 0 -> {
        if (!items.isEmpty()) {
          items.remove(random.nextInt(items.size()));
        }
      }
      case 1 -> {
        if (!items.isEmpty()) {
          Object copy = items.get(random.nextInt(items.size()));
          int copies = 1 + random.nextInt(random.nextInt(6) == 0 ? 500 : 3);
          for (int i = 0; i < copies; i++) {
            items.add(copy);
          }
        }
      }
      case 2 -> items.add(builder.newBuilderForField(field).build());
      case 3 -> items.clear();
      default -> {
        if (field.getMessageType().equals(KeyValue.getDescriptor())) {
          items.add(KeyValue.newBuilder().setKey(string()).setValue(deepValue(random.nextInt(120))).build());
        } else {
          items.add(builder.newBuilderForField(field).build());
        }
      }
    }
    builder.clearField(field);
    for (Object item : items) {
      builder.addRepeatedField(field, item);
    }
  }

  /** An attribute value nested {@code depth} levels deep, in arrays and key-value lists. */
  AnyValue deepValue(int depth) {
    AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < depth; i++) {
      value =
          random.nextBoolean()
              ? AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build()
              : AnyValue.newBuilder()
                  .setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(value)))
                  .build();
    }
    return value;
  }

  private Object scalar(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case INT -> (int) LONGS[random.nextInt(LONGS.length)] + (random.nextInt(4) == 0 ? random.nextInt() : 0);
      case LONG -> LONGS[random.nextInt(LONGS.length)] + (random.nextInt(4) == 0 ? random.nextLong() : 0);
      case FLOAT -> (float) DOUBLES[random.nextInt(DOUBLES.length)];
      case DOUBLE -> DOUBLES[random.nextInt(DOUBLES.length)];
      case BOOLEAN -> random.nextBoolean();
      case STRING -> string();
      case BYTE_STRING -> bytes();
      case ENUM -> enumValue(field);
      case MESSAGE -> throw new IllegalArgumentException(field.getFullName());
    };
  }

  private EnumValueDescriptor enumValue(FieldDescriptor field) {
    List<EnumValueDescriptor> values = field.getEnumType().getValues();
    if (random.nextInt(3) > 0) {
      return values.get(random.nextInt(values.size()));
    }
    int unknown = random.nextBoolean() ? values.size() + random.nextInt(100) : -1 - random.nextInt(5);
    return field.getEnumType().findValueByNumberCreatingIfUnknown(unknown);
  }

  private String string() {
    String s = STRINGS[random.nextInt(STRINGS.length)];
    return random.nextInt(8) == 0 ? s.repeat(1 + random.nextInt(200)) : s;
  }

  /** Ids of every interesting length, all zeros or random. */
  private ByteString bytes() {
    int[] lengths = {0, 1, 7, 8, 9, 15, 16, 17, 32};
    byte[] b = new byte[lengths[random.nextInt(lengths.length)]];
    if (random.nextInt(3) > 0) {
      random.nextBytes(b);
    }
    return ByteString.copyFrom(b);
  }

  // ---- JSON --------------------------------------------------------------------------------------

  /** {@code message} as OTLP JSON (hex ids), possibly with the original field names. */
  static String toOtlpJson(Message message, boolean protoFieldNames) {
    try {
      JsonFormat.Printer printer = protoFieldNames ? PRINTER.preservingProtoFieldNames() : PRINTER;
      JsonNode tree = MAPPER.readTree(printer.print(message));
      base64IdsToHex(tree);
      return MAPPER.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void base64IdsToHex(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String camel = field.getKey().replace("_id", "Id").replace("parent_span", "parentSpan");
        if (ID_FIELDS.contains(camel) && field.getValue().isTextual()) {
          field.setValue(
              TextNode.valueOf(HexFormat.of().formatHex(Base64.getDecoder().decode(field.getValue().textValue()))));
        } else {
          base64IdsToHex(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(OtlpMutator::base64IdsToHex);
    }
  }

  /** One to four tree edits of an OTLP JSON document; returns the text (unchanged if it is not JSON). */
  String mutateJson(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      return json;
    }
    if (root == null || !root.isContainerNode()) {
      return json;
    }
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(root, containers);
      editJson(containers.get(random.nextInt(containers.size())));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collectContainers(child, out));
    }
  }

  private void editJson(JsonNode container) {
    if (container instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.isEmpty() ? "x" : names.get(random.nextInt(names.size()));
      switch (random.nextInt(6)) {
        case 0 -> object.remove(name);
        case 1 -> object.set(name, randomJson());
        case 2 -> object.set(random.nextBoolean() ? "unknownField" + random.nextInt(3) : snakeCase(name), object.get(name));
        case 3 -> object.set(name, deepJson(random.nextInt(4) == 0 ? 1500 : random.nextInt(120)));
        case 4 -> {
          if (ID_FIELDS.contains(name) || name.endsWith("_id")) {
            object.set(name, randomJson());
          } else {
            object.put(name, random.nextBoolean() ? "AQID" : HexFormat.of().formatHex(bytes().toByteArray()));
          }
        }
        default -> {
          JsonNode value = object.get(name);
          if (value != null && value.isValueNode()) {
            object.put(name, value.asText());
          }
        }
      }
    } else if (container instanceof ArrayNode array) {
      int size = array.size();
      switch (random.nextInt(4)) {
        case 0 -> {
          if (size > 0) {
            array.remove(random.nextInt(size));
          }
        }
        case 1 -> {
          if (size > 0) {
            JsonNode copy = array.get(random.nextInt(size));
            int copies = 1 + random.nextInt(random.nextInt(6) == 0 ? 300 : 3);
            for (int i = 0; i < copies; i++) {
              array.add(copy.deepCopy());
            }
          }
        }
        case 2 -> array.add(randomJson());
        default -> {
          if (size > 0) {
            array.set(random.nextInt(size), randomJson());
          }
        }
      }
    }
  }

  private static String snakeCase(String name) {
    return name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  private JsonNode randomJson() {
    try {
      return MAPPER.readTree(JSON_TEXT[random.nextInt(JSON_TEXT.length)]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode deepJson(int depth) {
    JsonNode node = JsonNodeFactory.instance.textNode("leaf");
    for (int i = 0; i < depth; i++) {
      node =
          random.nextBoolean()
              ? JsonNodeFactory.instance.arrayNode().add(node)
              : JsonNodeFactory.instance.objectNode().set(random.nextBoolean() ? "arrayValue" : "values", node);
    }
    return node;
  }

  // ---- bytes -------------------------------------------------------------------------------------

  /** One to four byte-level edits: bit flips, interesting bytes, inserted, removed or repeated runs, cuts. */
  public byte[] mutateBytes(byte[] input, byte[] other) {
    ByteBuffer buffer = new ByteBuffer(input);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int size = buffer.size();
      int at = size == 0 ? 0 : random.nextInt(size);
      switch (random.nextInt(8)) {
        case 0 -> {
          if (size > 0) {
            buffer.set(at, (byte) (buffer.get(at) ^ (1 << random.nextInt(8))));
          }
        }
        case 1 -> {
          if (size > 0) {
            byte[] interesting = {0, (byte) 0x80, (byte) 0xff, 0x7f, 0x0a, 0x12, 0x22, '"', '{', '[', '\\'};
            buffer.set(at, interesting[random.nextInt(interesting.length)]);
          }
        }
        case 2 -> {
          byte[] run = new byte[1 + random.nextInt(16)];
          random.nextBytes(run);
          buffer.insert(at, run);
        }
        case 3 -> buffer.remove(at, random.nextInt(Math.max(1, size - at)) % 64 + 1);
        case 4 -> {
          if (size > 0) {
            int len = 1 + random.nextInt(Math.min(64, size - at));
            buffer.insert(at, buffer.slice(at, len));
          }
        }
        case 5 -> buffer.truncate(at);
        case 6 -> {
          // A varint that never ends, or a length prefix far beyond the input.
          byte[] varint = random.nextBoolean()
              ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                  (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}
              : new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
          buffer.insert(at, varint);
        }
        default -> {
          if (other.length > 0) {
            int from = random.nextInt(other.length);
            buffer.insert(at, Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + random.nextInt(256))));
          }
        }
      }
    }
    return buffer.toArray();
  }

  /** Random bytes, or random text of JSON punctuation. */
  byte[] noise() {
    byte[] b = new byte[random.nextInt(200)];
    if (random.nextBoolean()) {
      random.nextBytes(b);
    } else {
      String alphabet = "{}[]:,\"0123456789.eE-+ tfnul\\x";
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
    }
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A byte array with the edits above. */
  private static final class ByteBuffer {
    private byte[] bytes;

    ByteBuffer(byte[] initial) {
      bytes = initial.clone();
    }

    int size() {
      return bytes.length;
    }

    byte get(int i) {
      return bytes[i];
    }

    void set(int i, byte b) {
      bytes[i] = b;
    }

    void insert(int at, byte[] run) {
      byte[] out = new byte[bytes.length + run.length];
      System.arraycopy(bytes, 0, out, 0, at);
      System.arraycopy(run, 0, out, at, run.length);
      System.arraycopy(bytes, at, out, at + run.length, bytes.length - at);
      bytes = out;
    }

    byte[] slice(int from, int len) {
      return Arrays.copyOfRange(bytes, from, from + len);
    }

    void remove(int at, int len) {
      int end = Math.min(bytes.length, at + len);
      byte[] out = new byte[bytes.length - (end - at)];
      System.arraycopy(bytes, 0, out, 0, at);
      System.arraycopy(bytes, end, out, at, bytes.length - end);
      bytes = out;
    }

    void truncate(int at) {
      bytes = Arrays.copyOf(bytes, at);
    }

    byte[] toArray() {
      return bytes;
    }
  }
}
