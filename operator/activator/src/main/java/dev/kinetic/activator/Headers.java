package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Header rules for both directions of the proxy (RFC 9110 §7.6.1 for the hop-by-hop set). Both
 * rewrite the decoded message's headers in place: the message itself is passed on.
 */
final class Headers {
  // Names as pre-encoded ASCII: Netty writes them with one copy and caches their hash, where a
  // String is hashed and encoded character by character on every request.
  static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");

  /** Marks a request safe to send twice (ExchangeRelay's resend), as RFC 9110 §9.2.2 allows. */
  static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString HTTP = AsciiString.cached("http");

  private static final List<AsciiString> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          AsciiString.cached("proxy-connection"),
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE);

  private Headers() {}

  /**
   * Turns a client's request headers into what the pod gets: no hop-by-hop headers (nor those the
   * Connection header names), no Expect (the activator answers it), the pod's own Host, forwarding
   * headers, the request id and a trace context.
   *
   * @param clientAddress the client's IP address
   * @param endpoint the pod
   */
  static void toPod(HttpHeaders h, String clientAddress, Endpoint endpoint, String requestId) {
    String host = h.get(HttpHeaderNames.HOST);
    removeHopByHop(h);
    h.remove(HttpHeaderNames.EXPECT);
    String forwardedFor = h.get(X_FORWARDED_FOR);
    h.set(
        X_FORWARDED_FOR,
        forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
    if (!h.contains(X_FORWARDED_PROTO)) {
      h.set(X_FORWARDED_PROTO, HTTP);
    }
    h.set(X_FORWARDED_HOST, host == null ? "" : host);
    h.set(HttpHeaderNames.HOST, authority(endpoint));
    h.set(REQUEST_ID, requestId);
    if (!isTraceparent(h.get(TRACEPARENT))) {
      h.set(TRACEPARENT, newTraceparent());
    }
  }

  /** host:port, an IPv6 address in brackets (RFC 9110 §7.2). */
  static String authority(Endpoint endpoint) {
    return endpoint.host().indexOf(':') >= 0
        ? "[" + endpoint.host() + "]:" + endpoint.port()
        : endpoint.host() + ":" + endpoint.port();
  }

  /** Turns a pod's response headers into what the client gets. */
  static void toClient(HttpHeaders h, String requestId) {
    removeHopByHop(h);
    h.set(REQUEST_ID, requestId);
  }

  /** Removes the hop-by-hop headers, including those the Connection header names. */
  static void removeHopByHop(HttpHeaders h) {
    String connection = h.get(HttpHeaderNames.CONNECTION);
    if (connection != null
        && !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)
        && !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection)) {
      // The usual values name no header; anything else is a list of names to drop as well.
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          h.remove(name);
        }
      }
    }
    for (AsciiString hop : HOP_BY_HOP) {
      h.remove(hop);
    }
  }

  /**
   * The protocol a client asks to switch to when it is WebSocket (RFC 6455 §4.1): an HTTP/1.1 GET
   * without a body whose Connection names {@code upgrade} and whose Upgrade names {@code
   * websocket}. Null for anything else: another upgrade (h2c) is removed with the other hop-by-hop
   * headers and the request goes on as HTTP/1.1, which every client that offers one is ready for.
   */
  static String webSocketUpgrade(HttpRequest request) {
    HttpHeaders h = request.headers();
    boolean asked =
        request.method().equals(HttpMethod.GET)
            && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
            && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
            && h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    boolean bodiless =
        !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
            && h.getInt(HttpHeaderNames.CONTENT_LENGTH, 0) == 0;
    return asked && bodiless ? h.get(HttpHeaderNames.UPGRADE) : null;
  }

  /**
   * Puts back the two hop-by-hop headers a protocol switch needs on the next hop, once {@link
   * #removeHopByHop} has removed them.
   */
  static void switchTo(HttpHeaders h, String protocol) {
    h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    h.set(HttpHeaderNames.UPGRADE, protocol);
  }

  static String requestId(HttpHeaders h) {
    String id = h.get(REQUEST_ID);
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

  /** {@code length} random lower-case hex digits into {@code out} from {@code from}. */
  static void randomHex(byte[] out, int from, int length, ThreadLocalRandom random) {
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
