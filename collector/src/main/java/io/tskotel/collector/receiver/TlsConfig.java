package io.tskotel.collector.receiver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * TLS for a listener, from PEM files: the server's certificate chain and its PKCS#8 private key, and
 * optionally the CA(s) that client certificates must chain to (mutual TLS: clients without one are
 * refused during the handshake).
 */
public record TlsConfig(Path certChainFile, Path privateKeyFile, @Nullable Path clientCaFile) {

  public TlsConfig {
    requireNonNull(certChainFile, "certChainFile");
    requireNonNull(privateKeyFile, "privateKeyFile");
  }

  public static TlsConfig of(Path certChainFile, Path privateKeyFile) {
    return new TlsConfig(certChainFile, privateKeyFile, null);
  }

  public TlsConfig withClientCa(Path clientCaFile) {
    return new TlsConfig(certChainFile, privateKeyFile, requireNonNull(clientCaFile, "clientCaFile"));
  }

  public boolean mutual() {
    return clientCaFile != null;
  }

  /** Every problem at once, each as {@code "field: value (expected: …)"}; empty when valid. */
  public List<String> validate(String prefix) {
    List<String> errors = new ArrayList<>();
    checkReadable(errors, prefix + "certChainFile", certChainFile);
    checkReadable(errors, prefix + "privateKeyFile", privateKeyFile);
    if (clientCaFile != null) {
      checkReadable(errors, prefix + "clientCaFile", clientCaFile);
    }
    return errors;
  }

  private static void checkReadable(List<String> errors, String field, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      errors.add(field + ": " + file + " (expected: a readable PEM file)");
    }
  }
}
