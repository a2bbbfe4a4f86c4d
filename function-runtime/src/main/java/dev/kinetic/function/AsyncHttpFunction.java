package dev.kinetic.function;

import java.util.concurrent.CompletionStage;

/**
 * An HTTP function for I/O-bound work: it returns at once and completes the stage later. When the
 * deadline passes first the host answers 504 and cancels the stage's future.
 */
@FunctionalInterface
public interface AsyncHttpFunction {
  CompletionStage<Response> handle(Request request, Context context);
}
