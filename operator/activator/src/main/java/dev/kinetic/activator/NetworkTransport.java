package dev.kinetic.activator;

import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The socket transport of the activator, setting {@code KINETIC_ACTIVATOR_TRANSPORT}: the proxy's
 * and the admin port's event loops run on it ({@link ProxyServer}, {@link AdminServer}), and so do
 * the Vert.x instances of the clients that need one.
 *
 * <p>{@code auto} takes io_uring when the kernel allows it: on the benchmark machine it roughly
 * halves the kernel time per proxied request and raises throughput by about half
 * (docs/benchmarks.md). Container runtimes often refuse it — the RuntimeDefault seccomp profiles of
 * containerd and Docker block {@code io_uring_setup} — so {@code auto} then falls back to epoll,
 * and to Java NIO off Linux. Naming one transport makes its absence a start-up error instead.
 */
public final class NetworkTransport {
  public static final String SETTING = "KINETIC_ACTIVATOR_TRANSPORT";
  private static final Logger LOG = Logger.getLogger(NetworkTransport.class.getName());

  private NetworkTransport() {}

  /** A Vert.x on the transport the setting in {@code env} asks for. */
  public static Vertx vertx(Map<String, String> env, VertxOptions options) {
    return Vertx.builder().with(options).withTransport(fromEnv(env)).build();
  }

  /**
   * The transport the setting in {@code env} asks for, logged with why a faster one was passed
   * over. The activator as a process runs its event loops on it without a Vert.x instance.
   */
  public static Transport fromEnv(Map<String, String> env) {
    List<Transport> known = known();
    Transport transport = choose(env.get(SETTING), known);
    LOG.info(() -> "network transport: " + transport.name() + ", " + bufferAccess());
    for (Transport better : known.subList(0, known.indexOf(transport))) {
      // Why a faster transport was passed over: a missing module, library or seccomp rule. One
      // named on purpose passes the others over without any of them being unavailable.
      if (!better.available()) {
        LOG.info(() -> better.name() + " not available: " + better.unavailabilityCause());
      }
    }
    return transport;
  }

  /**
   * How Netty reaches its buffers' memory. Without sun.misc.Unsafe (Java 25's default for Netty,
   * unless the activator's flags allow it) every access goes through ByteBuffer's checks: the same
   * transport serves fewer requests (docs/activator.md#transport).
   */
  static String bufferAccess() {
    return PlatformDependent.hasUnsafe()
        ? "buffers through sun.misc.Unsafe"
        : "buffers without sun.misc.Unsafe ("
            + PlatformDependent.getUnsafeUnavailabilityCause().getMessage()
            + ")";
  }

  /** The transports this build knows, best first. */
  static List<Transport> known() {
    List<Transport> known = new ArrayList<>();
    for (Transport transport : new Transport[] {Transport.IO_URING, Transport.EPOLL}) {
      if (transport != null) { // null when the platform has no such transport at all
        known.add(transport);
      }
    }
    known.add(Transport.NIO);
    return known;
  }

  /**
   * The transport {@code setting} names, or with {@code auto} (also when unset) the first available
   * of {@code known}.
   *
   * @throws IllegalArgumentException for an unknown name, or a named transport unavailable here
   */
  static Transport choose(String setting, List<Transport> known) {
    String wanted =
        setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("auto")) {
      return known.stream()
          .filter(Transport::available)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no network transport is available"));
    }
    List<String> names = new ArrayList<>(List.of("auto"));
    for (Transport transport : known) {
      String name = transport.name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (name.equals(wanted)) {
        if (!transport.available()) {
          throw new IllegalArgumentException(
              SETTING
                  + "="
                  + wanted
                  + " is not available here: "
                  + transport.unavailabilityCause()
                  + " (auto falls back to the next transport)");
        }
        return transport;
      }
    }
    throw new IllegalArgumentException(
        SETTING + " must be one of " + String.join(", ", names) + ", got '" + setting + "'");
  }
}
