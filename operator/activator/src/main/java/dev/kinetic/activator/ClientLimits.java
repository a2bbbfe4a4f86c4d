package dev.kinetic.activator;

import java.time.Duration;

/**
 * Bounds on what one client connection may hold, so slow or silent clients cannot keep file
 * descriptors for ever (nginx's client_header_timeout, keepalive_timeout and client_body_timeout,
 * and a connection cap). docs/activator.md#client-connections lists the settings.
 *
 * @param header a request head must be complete this long after its first byte, or 408
 * @param idle a keep-alive connection with no request for this long is closed
 * @param body a request body that stops arriving for this long is answered 408 (or cut)
 * @param maxConnections client connections at once; the next is answered 503 and closed
 * @param linger after an error answer that closes the connection, how long what the client still
 *     sends is read and dropped before the close (nginx's lingering_close): closing a socket with
 *     unread bytes sends a reset, which can destroy the answer before the client has read it
 */
public record ClientLimits(
    Duration header, Duration idle, Duration body, int maxConnections, Duration linger) {
  public static final ClientLimits DEFAULTS =
      new ClientLimits(
          Duration.ofSeconds(60),
          Duration.ofSeconds(75),
          Duration.ofSeconds(60),
          10_000,
          Duration.ofSeconds(2));

  public ClientLimits {
    if (header.isNegative() || header.isZero() || idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("client timeouts must be positive");
    }
    if (body.isNegative() || body.isZero() || maxConnections < 1) {
      throw new IllegalArgumentException("client body timeout and connection cap must be positive");
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("client linger must not be negative");
    }
  }
}
