package io.tskotel.collector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.tskotel.exporter.QueryResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the API: snake_case field names (records' {@code avgMs} is {@code avg_ms}), instants as
 * ISO-8601 text, NaN and infinities as strings. The same mapper serves HTTP and the gRPC JsonResponse.
 */
public final class ApiJson {
  private ApiJson() {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .addModule(new SimpleModule("tskotel").addSerializer(Instant.class, ToStringSerializer.instance))
          .build();

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A query result as {@code {"columns": [{"name", "type"}…], "rows": [[…]…]}}. */
  public static Map<String, Object> result(QueryResult r) {
    List<Map<String, String>> columns = new ArrayList<>();
    for (int i = 0; i < r.columnNames().size(); i++) {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("name", r.columnNames().get(i));
      c.put("type", r.columnTypes().get(i));
      columns.add(c);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("columns", columns);
    out.put("rows", r.rows());
    return out;
  }
}
