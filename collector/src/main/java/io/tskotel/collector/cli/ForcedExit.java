package io.tskotel.collector.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Ends the process at once, as {@code kill -9} would, for a second stop signal during the drain.
 *
 * <p>{@code Runtime.halt} is not enough: it still leaves through C's {@code exit()}, which runs the static
 * destructors of the embedded engine's library while its engine is busy, and that crashes the process
 * (SIGSEGV in libchdb, exit 134, an hs_err file). libc's {@code _exit} skips them. Nothing acknowledged is
 * lost either way: the queue replays whatever was not written on the next start.
 */
final class ForcedExit {
  private ForcedExit() {}

  static void now(int status) {
    System.out.flush();
    System.err.flush();
    try {
      Linker linker = Linker.nativeLinker();
      MethodHandle exit = linker.downcallHandle(
          linker.defaultLookup().find("_exit").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
      exit.invokeExact(status);
    } catch (Throwable e) {
      Runtime.getRuntime().halt(status);
    }
  }
}
