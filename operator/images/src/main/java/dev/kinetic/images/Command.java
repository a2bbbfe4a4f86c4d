package dev.kinetic.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program run to its end within a time limit, its output (with its errors) collected. */
public final class Command {
  private Command() {}

  /** The output, whatever the exit status (e.g. ldd on a file that is not a dynamic program). */
  public static String output(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    return run(command, limit, false);
  }

  /** The output; a non-zero exit status is an error that quotes it. */
  public static String succeed(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    return run(command, limit, true);
  }

  private static String run(List<String> command, Duration limit, boolean mustSucceed)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within " + limit);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (mustSucceed && process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + process.exitValue() + "): " + text);
    }
    return text;
  }
}
