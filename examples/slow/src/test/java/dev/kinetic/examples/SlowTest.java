package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Request;
import dev.kinetic.function.TestingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SlowTest {
  @Test
  void answersWithTheTimeItWasAskedToTake() throws Exception {
    var response =
        new Slow(1000)
            .handle(Request.builder().rawQuery("ms=0").build(), TestingContext.of("slow"));
    assertThat(response.bodyAsString()).isEqualTo("slept 0 ms\n");
  }

  @Test
  void anInterruptEndsTheWait() throws Exception {
    AtomicReference<Thread> worker = new AtomicReference<>();
    CompletableFuture<Throwable> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              worker.set(Thread.currentThread());
              try {
                new Slow(600_000).handle(Request.builder().build(), TestingContext.of("slow"));
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    org.awaitility.Awaitility.await()
        .until(() -> worker.get() != null && worker.get().getState() == Thread.State.TIMED_WAITING);
    worker.get().interrupt();
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void aBadDurationIsABadRequest() {
    assertThatThrownBy(
            () ->
                new Slow(0)
                    .handle(
                        Request.builder().rawQuery("ms=soon").build(), TestingContext.of("slow")))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("ms must be a whole number of milliseconds, got 'soon'");
    assertThatThrownBy(
            () ->
                new Slow(0)
                    .handle(Request.builder().rawQuery("ms=-5").build(), TestingContext.of("slow")))
        .isInstanceOf(BadRequestException.class);
  }
}
