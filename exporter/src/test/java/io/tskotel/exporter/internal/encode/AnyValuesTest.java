package io.tskotel.exporter.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import org.junit.jupiter.api.Test;

class AnyValuesTest {
  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue i(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  static AnyValue d(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  @Test
  void asString_scalars() {
    assertThat(AnyValues.asString(str("héllo"))).isEqualTo("héllo");
    assertThat(AnyValues.asString(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
    assertThat(AnyValues.asString(i(-42))).isEqualTo("-42");
    assertThat(AnyValues.asString(d(1.5))).isEqualTo("1.5");
    assertThat(AnyValues.asString(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
        .isEqualTo("aGk=");
    assertThat(AnyValues.asString(AnyValue.getDefaultInstance())).isEmpty();
  }

  @Test
  void formatDouble_ecmascriptForm() {
    assertThat(AnyValues.formatDouble(100.0)).isEqualTo("100");
    assertThat(AnyValues.formatDouble(0.1)).isEqualTo("0.1");
    assertThat(AnyValues.formatDouble(1e20)).isEqualTo("100000000000000000000");
    assertThat(AnyValues.formatDouble(1e21)).isEqualTo("1e+21");
    assertThat(AnyValues.formatDouble(1.5e300)).isEqualTo("1.5e+300");
    assertThat(AnyValues.formatDouble(1e-7)).isEqualTo("1e-7");
    assertThat(AnyValues.formatDouble(0.000001)).isEqualTo("0.000001");
    assertThat(AnyValues.formatDouble(-2.5e-10)).isEqualTo("-2.5e-10");
    assertThat(AnyValues.formatDouble(123456.789)).isEqualTo("123456.789");
    assertThat(AnyValues.formatDouble(0.0)).isEqualTo("0");
    assertThat(AnyValues.formatDouble(-0.0)).isEqualTo("-0");
    assertThat(AnyValues.formatDouble(Double.NaN)).isEqualTo("NaN");
    assertThat(AnyValues.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void asString_arrayAsJson() {
    AnyValue arr = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(str("a\"b<"))
        .addValues(i(1))
        .addValues(d(2.5))
        .addValues(AnyValue.newBuilder().setBoolValue(false))
        .addValues(AnyValue.getDefaultInstance())).build();
    assertThat(AnyValues.asString(arr)).isEqualTo("[\"a\\\"b\\u003c\",1,2.5,false,null]");
  }

  @Test
  void asString_kvlistAsJsonWithSortedKeys() {
    AnyValue kv = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(KeyValue.newBuilder().setKey("z").setValue(i(1)))
        .addValues(KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setKvlistValue(
            KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("n").setValue(str("line\nbreak"))))))
    ).build();
    assertThat(AnyValues.asString(kv)).isEqualTo("{\"a\":{\"n\":\"line\\nbreak\"},\"z\":1}");
  }

  @Test
  void asString_nonFiniteDoubleInJsonIsAString() {
    AnyValue arr = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(d(Double.NaN))).build();
    assertThat(AnyValues.asString(arr)).isEqualTo("[\"NaN\"]");
  }
}
