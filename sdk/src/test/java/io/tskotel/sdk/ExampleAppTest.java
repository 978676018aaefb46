package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.sdk.internal.TskSettings;
import io.tskotel.tsk.Tsk;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copyable example under docs/examples/sdk-app compiles against this sdk (Java 17) and its TSK file is valid. */
class ExampleAppTest {
  private static final Path EXAMPLE = Path.of("..", "docs", "examples", "sdk-app");

  @TempDir Path out;

  @Test
  void example_compilesForJava17() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path source = EXAMPLE.resolve("src/main/java/com/example/shop/ShopApp.java");
    assertThat(source).exists();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(diagnostics, files, null,
          List.of("--release", "17", "-Xlint:all,-try,-processing", "-Werror", "-cp", System.getProperty("java.class.path"),
              "-d", out.toString()),
          null, files.getJavaFileObjects(source)).call();
      assertThat(ok).as("javac:%n%s", diagnostics).isTrue();
    }
  }

  @Test
  void exampleTsk_isValid() throws IOException {
    Tsk tsk = Tsk.parser().environment(Map.of()).build().load(EXAMPLE.resolve("app.tsk"));
    TskSettings settings = TskSettings.from(tsk);
    assertThat(settings.serviceName()).isEqualTo("shop");
    assertThat(settings.traceSampler()).isEqualTo(0.1);
    assertThat(settings.histogramBuckets()).containsKey("response_time");
    assertThat(settings.health().externalServices()).containsKey("payment_service");
    assertThat(Files.readString(EXAMPLE.resolve("pom.xml"))).contains("<artifactId>tskotel-sdk</artifactId>");
  }
}
