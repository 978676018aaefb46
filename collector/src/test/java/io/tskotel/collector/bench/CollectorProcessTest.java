package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CollectorProcessTest {

  @Test
  void absoluteClassPath_relativeEntriesResolvedAgainstTheWorkingDirectory() {
    String cwd = Path.of("").toAbsolutePath().toString();

    String classPath = CollectorProcess.absoluteClassPath(
        "collector/target/tskotel.jar" + File.pathSeparator + "/opt/lib/a.jar" + File.pathSeparator);

    assertThat(classPath.split(File.pathSeparator)).containsExactly(
        Path.of(cwd, "collector", "target", "tskotel.jar").toString(), "/opt/lib/a.jar");
  }
}
