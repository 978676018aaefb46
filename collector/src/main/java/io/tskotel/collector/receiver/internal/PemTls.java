package io.tskotel.collector.receiver.internal;

import io.tskotel.collector.receiver.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Key and trust managers from PEM files, shared by both listeners so they accept the same files and
 * fail with the same messages.
 */
public final class PemTls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
  private static final char[] IN_MEMORY_PASSWORD = "tskotel".toCharArray();

  private final KeyManager[] keyManagers;
  private final TrustManager @Nullable [] trustManagers;

  private PemTls(KeyManager[] keyManagers, TrustManager @Nullable [] trustManagers) {
    this.keyManagers = keyManagers;
    this.trustManagers = trustManagers;
  }

  /** Loads every file of {@code config}; the message of the exception names the file at fault. */
  public static PemTls load(TlsConfig config) {
    KeyManager[] keys = keyManagers(config.certChainFile(), config.privateKeyFile());
    TrustManager[] trust =
        config.clientCaFile() == null ? null : trustManagers(config.clientCaFile());
    return new PemTls(keys, trust);
  }

  public KeyManager[] keyManagers() {
    return keyManagers.clone();
  }

  /** Trust for client certificates, or null when clients are not authenticated by certificate. */
  public TrustManager @Nullable [] trustManagers() {
    return trustManagers == null ? null : trustManagers.clone();
  }

  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(Path chainFile, Path keyFile) {
    Certificate[] chain = certificates(chainFile).toArray(Certificate[]::new);
    if (chain.length == 0) {
      throw new IllegalArgumentException(chainFile + ": no CERTIFICATE block");
    }
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain);
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          keyFile + ": key does not fit " + chainFile + ": " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(Path caFile) {
    Collection<? extends Certificate> cas = certificates(caFile);
    if (cas.isEmpty()) {
      throw new IllegalArgumentException(caFile + ": no CERTIFICATE block");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate ca : cas) {
        store.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(caFile + ": " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : KEY_ALGORITHMS) {
          try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
          } catch (GeneralSecurityException wrongAlgorithm) {
            // try the next one
          }
        }
        throw new IllegalArgumentException(file + ": unsupported PKCS#8 private key algorithm");
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            file
                + ": "
                + type
                + " is not supported (expected: an unencrypted PKCS#8 'PRIVATE KEY'; convert with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8')");
      }
    }
    throw new IllegalArgumentException(file + ": no PRIVATE KEY block");
  }
}
