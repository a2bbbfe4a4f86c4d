package dev.kinetic.runtime;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context for one request: the trace it belongs to and this request's own span. An
 * incoming {@code traceparent} that does not follow the spec is ignored and a new trace starts, as
 * the spec asks.
 */
record Trace(String traceId, String spanId, String parentSpanId, String flags) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  static Trace from(Optional<String> traceparent) {
    if (traceparent.isPresent()) {
      var m = TRACEPARENT.matcher(traceparent.get().trim());
      if (m.matches() && !m.group(1).equals(ZERO_TRACE) && !m.group(2).equals(ZERO_SPAN)) {
        return new Trace(m.group(1), randomHex(16), m.group(2), m.group(3));
      }
    }
    return new Trace(randomHex(32), randomHex(16), null, "01");
  }

  /** The header to send downstream: same trace, this request's span as the parent. */
  String traceparent() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  static String randomHex(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) {
      sb.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE), 1, 16);
    }
    sb.setLength(length);
    return sb.toString();
  }
}
