package io.tskotel.tsk.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed TSK file: an immutable tree of tables ({@code Map}), arrays ({@code List}), {@code String},
 * {@code Integer}/{@code Long}, {@code Double}, {@code Boolean}, null and {@link io.tskotel.tsk.Instrument}.
 *
 * <p>Equality is by value: the tree, the set of declared sections and the variables. Key order and the
 * positions the values came from do not take part, so {@code parse(print(x))} equals {@code x}.
 */
public final class Document {
  private final Map<String, @Nullable Object> root;
  private final List<String> sections;
  private final Map<String, @Nullable Object> globals;
  private final Map<String, Position> positions;

  Document(
      Map<String, @Nullable Object> root,
      List<String> sections,
      Map<String, @Nullable Object> globals,
      Map<String, Position> positions) {
    this.root = root;
    this.sections = List.copyOf(sections);
    this.globals = globals;
    this.positions = Map.copyOf(positions);
  }

  /** The top-level table. */
  public Map<String, @Nullable Object> root() {
    return root;
  }

  /** Dotted names of the tables declared by {@code [headers]}, in document order. */
  public List<String> sections() {
    return sections;
  }

  /** The {@code $variables}, by name without the {@code $}. */
  public Map<String, @Nullable Object> globals() {
    return globals;
  }

  /** Where the key at {@code path} was defined, or null when unknown. */
  public @Nullable Position position(String path) {
    return positions.get(path);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Document)) {
      return false;
    }
    Document that = (Document) o;
    return root.equals(that.root)
        && new HashSet<>(sections).equals(new HashSet<>(that.sections))
        && globals.equals(that.globals);
  }

  @Override
  public int hashCode() {
    return Objects.hash(root, new HashSet<>(sections), globals);
  }
}
