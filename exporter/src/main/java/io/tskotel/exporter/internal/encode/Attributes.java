package io.tskotel.exporter.internal.encode;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Attribute lists as ClickHouse {@code Map(LowCardinality(String), String)} values, sorted by key: equal
 * attribute sets then encode to equal maps whatever order the sender used (upstream issue #33634: unsorted
 * maps split GROUP BY results and compress badly). A repeated key keeps its first value, as pdata's Get does.
 */
public final class Attributes {
  private Attributes() {}

  /** UTF-8 byte order, which is code point order: the order ClickHouse compares String keys in. */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        // Surrogates (U+D800..U+DFFF) encode code points above every other BMP char.
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa != sb) {
          return sa ? 1 : -1;
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  /** The list sorted by key without repeated keys; {@code stats} (when given) counts dropped repeats. */
  static List<KeyValue> sortedUnique(List<KeyValue> attributes, @Nullable EncodeStats stats) {
    int n = attributes.size();
    if (n <= 1) {
      return attributes;
    }
    boolean sortedAndUnique = true;
    for (int i = 1; i < n; i++) {
      if (compareCodePoints(attributes.get(i - 1).getKey(), attributes.get(i).getKey()) >= 0) {
        sortedAndUnique = false;
        break;
      }
    }
    if (sortedAndUnique) {
      return attributes;
    }
    KeyValue[] a = attributes.toArray(new KeyValue[0]);
    KeyOrder order = KEY_ORDERS.get();
    if (!order.apply(a, n)) {
      // Insertion sort: attribute lists are short, and it is stable (the first of equal keys stays first).
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = 1; i < n; i++) {
        int x = perm[i];
        int j = i - 1;
        while (j >= 0 && compareCodePoints(a[perm[j]].getKey(), a[x].getKey()) > 0) {
          perm[j + 1] = perm[j];
          j--;
        }
        perm[j + 1] = x;
      }
      order.remember(a, n, perm);
      order.apply(a, n);
    }
    List<KeyValue> out = new ArrayList<>(n);
    for (KeyValue kv : a) {
      if (!out.isEmpty() && out.get(out.size() - 1).getKey().equals(kv.getKey())) {
        if (stats != null) {
          stats.duplicateAttributeKeys.increment();
        }
        continue;
      }
      out.add(kv);
    }
    return out;
  }

  /**
   * The last key sequence of each list length this thread sorted, and its order: senders repeat the same
   * attribute keys in the same order span after span, so checking that the keys are equal (one
   * {@link String#equals} each) replaces most of the sort, which was a third of the encoder's CPU.
   */
  private static final ThreadLocal<KeyOrder> KEY_ORDERS = ThreadLocal.withInitial(KeyOrder::new);

  private static final class KeyOrder {
    private static final int MAX_CACHED = 64;
    private final String[][] keys = new String[MAX_CACHED + 1][];
    private final int[][] perms = new int[MAX_CACHED + 1][];
    private final KeyValue[] scratch = new KeyValue[MAX_CACHED];

    /** Puts {@code a} in the remembered order for its keys and returns true, or returns false. */
    boolean apply(KeyValue[] a, int n) {
      if (n > MAX_CACHED || keys[n] == null) {
        return false;
      }
      String[] k = keys[n];
      for (int i = 0; i < n; i++) {
        if (!k[i].equals(a[i].getKey())) {
          return false;
        }
      }
      int[] perm = perms[n];
      System.arraycopy(a, 0, scratch, 0, n);
      for (int i = 0; i < n; i++) {
        a[i] = scratch[perm[i]];
      }
      java.util.Arrays.fill(scratch, 0, n, null);
      return true;
    }

    void remember(KeyValue[] a, int n, int[] perm) {
      if (n > MAX_CACHED) {
        // Too long to cache: sort in place by the permutation.
        KeyValue[] copy = a.clone();
        for (int i = 0; i < n; i++) {
          a[i] = copy[perm[i]];
        }
        return;
      }
      String[] k = new String[n];
      for (int i = 0; i < n; i++) {
        k[i] = a[i].getKey();
      }
      keys[n] = k;
      perms[n] = perm;
    }
  }

  /**
   * A map already encoded, for values that repeat on every row of a request (resource and scope
   * attributes): the sort and the UTF-8 encoding run once per request instead of once per row.
   */
  public static byte[] mapBytes(List<KeyValue> attributes, EncodeStats stats) {
    RowBinaryWriter w = new RowBinaryWriter(64 + 32 * attributes.size());
    writeMap(w, attributes, stats);
    return w.toByteArray();
  }

  /** Writes the attributes as a sorted {@code Map(LowCardinality(String), String)}. */
  public static void writeMap(RowBinaryWriter w, List<KeyValue> attributes, EncodeStats stats) {
    List<KeyValue> sorted = sortedUnique(attributes, stats);
    w.writeSize(sorted.size());
    for (KeyValue kv : sorted) {
      w.writeString(kv.getKey());
      w.writeString(AnyValues.asString(kv.getValue()));
    }
  }

  /** Writes a map of strings as a {@code Map(LowCardinality(String), String)} sorted like attributes. */
  public static void writeMap(RowBinaryWriter w, Map<String, String> map) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(map.entrySet());
    entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
    w.writeSize(entries.size());
    for (Map.Entry<String, String> e : entries) {
      w.writeString(e.getKey());
      w.writeString(e.getValue());
    }
  }

  /** The value of {@code key} as a string, or null when absent. */
  static @Nullable String find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return AnyValues.asString(kv.getValue());
      }
    }
    return null;
  }
}
