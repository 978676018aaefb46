package io.tskotel.collector.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned text columns, as {@code kubectl get} prints them. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : c.toString().replace('\n', ' '));
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = header.get(i).length();
    }
    for (List<String> r : rows) {
      for (int i = 0; i < r.size() && i < width.length; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, header, width);
    for (List<String> r : rows) {
      line(out, r, width);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(cells.get(i));
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(Math.max(0, width[i] - cells.get(i).length())));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
