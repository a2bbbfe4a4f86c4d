package dev.kinetic.examples;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.time.Duration;

/**
 * Takes a set time to answer: {@code ?ms=} or else SLOW_DEFAULT_MS (default 1000). The scaling
 * tests and benchmarks use it to hold concurrency at a known level. It waits by sleeping, so the
 * deadline's interrupt ends it like any well-behaved blocking call.
 */
public final class Slow implements HttpFunction {
  static final long MAX_MS = 600_000;
  private final long defaultMillis;

  public Slow() {
    this(Long.parseLong(System.getenv().getOrDefault("SLOW_DEFAULT_MS", "1000")));
  }

  Slow(long defaultMillis) {
    this.defaultMillis = defaultMillis;
  }

  @Override
  public Response handle(Request request, Context context) throws InterruptedException {
    long millis = request.queryParam("ms").map(Slow::parse).orElse(defaultMillis);
    Thread.sleep(Duration.ofMillis(millis).toMillis());
    return Response.ok("slept " + millis + " ms\n");
  }

  private static long parse(String raw) {
    try {
      long ms = Long.parseLong(raw);
      if (ms < 0 || ms > MAX_MS) {
        throw new BadRequestException("ms must be between 0 and " + MAX_MS + ", got " + ms);
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new BadRequestException("ms must be a whole number of milliseconds, got '" + raw + "'");
    }
  }
}
