package dev.kinetic.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The constant-rate load tool of the fixed-rate benchmarks (local mode's and the real node's):
 * {@code vegeta attack | vegeta report -type=json}, installed by the Makefile with {@code go
 * install}.
 */
public final class Vegeta {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vegeta() {}

  /** GET {@code url} at {@code rate} requests/s for {@code duration}; vegeta's JSON report. */
  public static JsonNode attack(String vegeta, String url, int rate, Duration duration)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "echo \"GET $0\" | \"$1\" attack -rate=$2 -duration=$3s -timeout=10s"
                    + " | \"$1\" report -type=json",
                url,
                vegeta,
                Integer.toString(rate),
                Long.toString(duration.toSeconds()))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "vegeta failed: "
              + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(out);
  }

  /** A latency percentile of a report ("50th", "95th", "99th", "max"), in milliseconds. */
  public static double ms(JsonNode report, String percentile) {
    return report.path("latencies").path(percentile).asDouble() / 1e6;
  }
}
