/** Lexer, parser, value model and printer behind {@link io.tskotel.tsk.Tsk}; not a public API. */
@NullMarked
package io.tskotel.tsk.internal;

import org.jspecify.annotations.NullMarked;
