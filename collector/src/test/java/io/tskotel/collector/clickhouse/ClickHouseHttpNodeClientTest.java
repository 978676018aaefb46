package io.tskotel.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.exporter.testing.Prerequisites;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Node.js client, {@code @clickhouse/client} ({@code src/test/node/clickhouse.js}), against the endpoint. */
class ClickHouseHttpNodeClientTest {
  static final Path NODE_DIR = Path.of("src", "test", "node");

  private static String node() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path node = Path.of(dir, "node");
      if (Files.isExecutable(node)) {
        return node.toString();
      }
    }
    Prerequisites.require(false, "node is not installed: the @clickhouse/client test needs it (apt-get install nodejs npm)");
    return null;
  }

  @Test
  void nodeClient_insertsAndQueriesWithParams_refusesWrongPasswordAndReaderWrites(@TempDir Path tmp) throws Exception {
    String node = node();
    Prerequisites.require(Files.isDirectory(NODE_DIR.resolve("node_modules/@clickhouse/client")),
        "@clickhouse/client is not installed: npm --prefix collector/src/test/node install --no-package-lock");
    try (ClickHouseHttpFixture f = new ClickHouseHttpFixture(ClickHouseHttpNodeClientTest.class)) {
      Path out = tmp.resolve("stdout.json");
      Path err = tmp.resolve("stderr.txt");
      Process p = new ProcessBuilder(node, "clickhouse.js", f.url(), f.database,
          ClickHouseHttpFixture.READER_PASSWORD, ClickHouseHttpFixture.WRITER_PASSWORD)
          .directory(NODE_DIR.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node clickhouse.js did not finish in 60 s; stderr:\n" + Files.readString(err));
      }
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      JsonNode r = new ObjectMapper().readTree(Files.readString(out));
      assertThat(r.has("failure")).as(r.path("failure").asText()).isFalse();
      assertThat(r.path("ping").asBoolean()).isTrue();
      assertThat(r.path("rows").toString()).isEqualTo("[{\"id\":2,\"name\":\"it's two\"},{\"id\":3,\"name\":\"three\"}]");
      assertThat(r.path("compact").toString()).isEqualTo("[[3,\"x'; DROP TABLE node_items; --\"]]");
      assertThat(r.path("csv").asText()).isEqualTo("\"one\"\n\"it's two\"\n\"three\"\n");
      assertThat(r.path("readerDrop").asText()).isEqualTo("164");
      assertThat(r.path("wrongPassword").asText()).isEqualTo("516");
      assertThat(ClickHouseHttpFixture.text(f.read("SELECT count() FROM node_items", java.util.Map.of()))).isEqualTo("3\n");
    }
  }
}
