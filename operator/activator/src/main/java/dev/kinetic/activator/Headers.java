package dev.kinetic.activator;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/** Header rules for both directions of the proxy (RFC 9110 §7.6.1 for the hop-by-hop set). */
final class Headers {
  // Names as pre-encoded ASCII: Netty writes them with one copy and caches their hash, where a
  // String is hashed and encoded character by character on every request.
  static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final CharSequence X_FORWARDED_FOR =
      HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO =
      HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST =
      HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
  private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");

  private static final List<String> HOP_BY_HOP =
      List.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");

  private Headers() {}

  /** A copy without hop-by-hop headers, including those the Connection header names. */
  static MultiMap endToEnd(MultiMap in) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    copyEndToEnd(in, out);
    return out;
  }

  /** Adds to {@code out} the headers of {@code in} that are not hop-by-hop. */
  static void copyEndToEnd(MultiMap in, MultiMap out) {
    Set<String> named = connectionNamed(in);
    for (var entry : in) {
      String name = entry.getKey();
      if (!isHopByHop(name) && (named.isEmpty() || !named.contains(name))) {
        out.add(name, entry.getValue());
      }
    }
  }

  /** What goes to the pod: end-to-end headers, forwarding headers, request id and trace. */
  static MultiMap toPod(HttpServerRequest request, String host, String requestId) {
    MultiMap out = endToEnd(request.headers());
    String client =
        request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String forwardedFor = request.getHeader(X_FORWARDED_FOR);
    out.set(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
    if (!out.contains(X_FORWARDED_PROTO)) {
      out.set(X_FORWARDED_PROTO, request.isSSL() ? HTTPS : HTTP);
    }
    out.set(X_FORWARDED_HOST, host);
    out.set(REQUEST_ID, requestId);
    String traceparent = request.getHeader(TRACEPARENT);
    if (!isTraceparent(traceparent)) {
      out.set(TRACEPARENT, newTraceparent());
    }
    return out;
  }

  static String requestId(HttpServerRequest request) {
    String id = request.getHeader(REQUEST_ID);
    return isRequestId(id) ? id : hex(32);
  }

  /** 1–128 characters of [A-Za-z0-9._:-]: safe to log and to pass on. */
  static boolean isRequestId(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** W3C version 00: {@code 00-<32 hex>-<16 hex>-<2 hex>}, lower case. */
  static boolean isTraceparent(String value) {
    if (value == null || value.length() != 55 || !value.startsWith("00-")) {
      return false;
    }
    for (int i = 3; i < 55; i++) {
      char c = value.charAt(i);
      boolean dash = i == 35 || i == 52;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Case-insensitive, without lower-casing (allocating) every header name of every request: the
   * length rules out almost every name before any character is compared.
   */
  static boolean isHopByHop(String name) {
    for (String hop : HOP_BY_HOP) {
      if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> connectionNamed(MultiMap in) {
    String connection = in.get("Connection");
    if (connection == null
        || connection.equalsIgnoreCase("keep-alive")
        || connection.equalsIgnoreCase("close")) {
      // The usual values name no header: no set to build.
      return Set.of();
    }
    Set<String> named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String token : connection.split(",")) {
      String name = token.trim();
      if (!name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
        named.add(name);
      }
    }
    return named;
  }

  private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** {@code 00-<32 hex trace id>-<16 hex span id>-01}: a sampled W3C trace context, as ASCII. */
  static AsciiString newTraceparent() {
    byte[] out =
        "00-00000000000000000000000000000000-0000000000000000-01"
            .getBytes(StandardCharsets.US_ASCII);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    randomHex(out, 3, 32, random);
    randomHex(out, 36, 16, random);
    return new AsciiString(out, false);
  }

  private static void randomHex(byte[] out, int from, int length, ThreadLocalRandom random) {
    long bits = 0;
    for (int i = 0; i < length; i++) {
      if (i % 16 == 0) {
        bits = random.nextLong();
      }
      out[from + i] = HEX_BYTES[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  static String hex(int length) {
    byte[] out = new byte[length];
    randomHex(out, 0, length, ThreadLocalRandom.current());
    return new String(out, StandardCharsets.US_ASCII);
  }
}
