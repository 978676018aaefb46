/**
 * The TSK configuration language: {@link io.tskotel.tsk.Tsk} parses, queries and prints it.
 *
 * <p>The grammar, operator semantics and error format are written down in {@code docs/tsk.md}.
 */
@NullMarked
package io.tskotel.tsk;

import org.jspecify.annotations.NullMarked;
