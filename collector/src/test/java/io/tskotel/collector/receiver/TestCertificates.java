package io.tskotel.collector.receiver;


import io.tskotel.exporter.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away CA, a server certificate for localhost/127.0.0.1 and a client certificate, made with openssl. */
record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Prerequisites.require(onPath("openssl"), "openssl is not installed: the TLS tests need it to make certificates (apt-get install openssl)");
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.pem");
    run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=tskotel test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    Path serverKey = dir.resolve("server.key");
    Path serverCert = dir.resolve("server.pem");
    leaf(dir, ca, caKey, "server", "localhost",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
    Path clientKey = dir.resolve("client.key");
    Path clientCert = dir.resolve("client.pem");
    leaf(dir, ca, caKey, "client", "otel-client",
        "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
    return new TestCertificates(ca, serverCert, serverKey, clientCert, clientKey);
  }

  private static void leaf(Path dir, Path ca, Path caKey, String name, String cn, String extensions)
      throws IOException, InterruptedException {
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, extensions);
    run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
    run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", ext.toString());
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  byte[] caPem() throws IOException {
    return Files.readAllBytes(caCert);
  }

  byte[] clientKeyPem() throws IOException {
    return Files.readAllBytes(clientKey);
  }

  byte[] clientCertPem() throws IOException {
    return Files.readAllBytes(clientCert);
  }
}
