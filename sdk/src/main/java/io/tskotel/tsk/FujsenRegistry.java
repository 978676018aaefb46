package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Java functions by fujsen name. TSK keeps fujsen bodies as text and never runs them; {@link
 * Tsk#executeFujsen} dispatches here instead. Thread-safe.
 */
public final class FujsenRegistry {
  private final Map<String, FujsenFunction> functions = new ConcurrentHashMap<>();

  /**
   * Registers {@code function} under {@code name}.
   *
   * @throws IllegalStateException when {@code name} is already registered (replacing silently would hide
   *     two components claiming the same fujsen)
   */
  public FujsenRegistry register(String name, FujsenFunction function) {
    requireNonNull(name, "name");
    requireNonNull(function, "function");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a fujsen name)");
    }
    FujsenFunction previous = functions.putIfAbsent(name, function);
    if (previous != null) {
      throw new IllegalStateException("fujsen '" + name + "' is already registered");
    }
    return this;
  }

  /** Removes {@code name}; returns whether it was registered. */
  public boolean unregister(String name) {
    return functions.remove(requireNonNull(name, "name")) != null;
  }

  /** The function registered under {@code name}, or null. */
  public @Nullable FujsenFunction get(String name) {
    return functions.get(requireNonNull(name, "name"));
  }

  /** The registered names, sorted. */
  public SortedSet<String> names() {
    return new TreeSet<>(functions.keySet());
  }
}
