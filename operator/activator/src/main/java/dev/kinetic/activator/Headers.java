package dev.kinetic.activator;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Header rules for both directions of the proxy (RFC 9110 §7.6.1 for the hop-by-hop set). */
final class Headers {
  static final String REQUEST_ID = "X-Request-Id";
  static final String TRACEPARENT = "traceparent";

  private static final Set<String> HOP_BY_HOP =
      Set.of(
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
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern VALID_TRACEPARENT =
      Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private Headers() {}

  /** A copy without hop-by-hop headers, including those the Connection header names. */
  static MultiMap endToEnd(MultiMap in) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> named = connectionNamed(in);
    for (var entry : in) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
        out.add(entry.getKey(), entry.getValue());
      }
    }
    return out;
  }

  /** What goes to the pod: end-to-end headers, forwarding headers, request id and trace. */
  static MultiMap toPod(HttpServerRequest request, String host, String requestId) {
    MultiMap out = endToEnd(request.headers());
    String client =
        request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String forwardedFor = request.getHeader("X-Forwarded-For");
    out.set("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
    if (!out.contains("X-Forwarded-Proto")) {
      out.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    }
    out.set("X-Forwarded-Host", host);
    out.set(REQUEST_ID, requestId);
    String traceparent = request.getHeader(TRACEPARENT);
    if (traceparent == null || !VALID_TRACEPARENT.matcher(traceparent).matches()) {
      out.set(TRACEPARENT, "00-" + hex(32) + "-" + hex(16) + "-01");
    }
    return out;
  }

  static String requestId(HttpServerRequest request) {
    String id = request.getHeader(REQUEST_ID);
    return id != null && VALID_ID.matcher(id).matches() ? id : hex(32);
  }

  private static Set<String> connectionNamed(MultiMap in) {
    String connection = in.get("Connection");
    if (connection == null) {
      return Set.of();
    }
    Set<String> named = new java.util.HashSet<>();
    for (String token : connection.split(",")) {
      named.add(token.trim().toLowerCase(Locale.ROOT));
    }
    return named;
  }

  static String hex(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) {
      sb.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE), 1, 16);
    }
    sb.setLength(length);
    return sb.toString();
  }
}
