package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which function a request is for, from its Host ({@code <function>.<namespace>.<domain>}, the
 * function's Service name inside the cluster, long or short: {@link Hosts}, or one of a function's
 * own domains) or, for any other host, its path ({@code /<namespace>/<function>/...}, the prefix
 * stripped). Nothing else a client sends can change the route. Dot-segments are removed first
 * ({@link DotSegments}), so the route is decided on the path the function sees.
 */
record Target(FunctionKey key, String forwardPath) {

  /** Why a request has no target: the client's mistake, answered with 400. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param host the Host header without port, as sent
   * @param pathAndQuery the request's URI: path and query
   * @param exists whether a function exists: the short {@code <function>.<namespace>} Host routes
   *     by Host only to one that does ({@link Hosts})
   * @param byDomain the function holding a host as its own domain ({@code spec.domains}), if any;
   *     asked only for a host none of the platform's own names matched, so a function's domain can
   *     never take the platform's names, a Service's, or the activators' own
   * @return empty when the request names no function at all (404)
   */
  static Optional<Target> of(
      String host,
      String pathAndQuery,
      Hosts hosts,
      Predicate<FunctionKey> exists,
      java.util.function.Function<String, Optional<FunctionKey>> byDomain)
      throws Invalid {
    if (host == null || host.isEmpty()) {
      throw new Invalid("the request has no Host header");
    }
    String h = host.toLowerCase(Locale.ROOT);
    String domain = hosts.domain();
    String suffix = "." + domain;
    if (h.endsWith(suffix)) {
      String[] labels = h.substring(0, h.length() - suffix.length()).split("\\.", -1);
      if (labels.length != 2 || !isLabel(labels[0]) || !isLabel(labels[1])) {
        throw new Invalid("Host must be <function>.<namespace>." + domain + ", got '" + host + "'");
      }
      return Optional.of(byHost(new FunctionKey(labels[1], labels[0]), pathAndQuery));
    }
    Optional<FunctionKey> service = hosts.inCluster(h);
    if (service.isPresent()) {
      return Optional.of(byHost(service.get(), pathAndQuery));
    }
    Optional<FunctionKey> alias = hosts.shortForm(h).filter(exists);
    if (alias.isPresent()) {
      return Optional.of(byHost(alias.get(), pathAndQuery));
    }
    Optional<FunctionKey> owner = byDomain.apply(h);
    if (owner.isPresent() && !hosts.isActivators(h)) {
      return Optional.of(byHost(owner.get(), pathAndQuery));
    }
    if (!pathAndQuery.startsWith("/")) {
      throw new Invalid("the request target must be a path starting with '/'");
    }
    int queryStart = pathAndQuery.indexOf('?');
    String path =
        DotSegments.remove(queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart));
    String query = queryStart < 0 ? "" : pathAndQuery.substring(queryStart);
    // /<namespace>/<function>[/<rest>], by index: this runs for every request.
    int second = path.indexOf('/', 1);
    if (second < 0) {
      return Optional.empty();
    }
    int third = path.indexOf('/', second + 1);
    String namespace = path.substring(1, second);
    String function = third < 0 ? path.substring(second + 1) : path.substring(second + 1, third);
    if (!isLabel(namespace) || !isLabel(function)) {
      return Optional.empty();
    }
    String rest = third < 0 ? "/" : path.substring(third);
    return Optional.of(new Target(new FunctionKey(namespace, function), rest + query));
  }

  /** {@link #of} where no function has domains of its own. */
  static Optional<Target> of(
      String host, String pathAndQuery, Hosts hosts, Predicate<FunctionKey> exists) throws Invalid {
    return of(host, pathAndQuery, hosts, exists, h -> Optional.empty());
  }

  private static Target byHost(FunctionKey key, String pathAndQuery) throws Invalid {
    return new Target(
        key, pathAndQuery.startsWith("/") ? withoutDotSegments(pathAndQuery) : pathAndQuery);
  }

  private static String withoutDotSegments(String pathAndQuery) throws Invalid {
    int queryStart = pathAndQuery.indexOf('?');
    if (queryStart < 0) {
      return DotSegments.remove(pathAndQuery);
    }
    return DotSegments.remove(pathAndQuery.substring(0, queryStart))
        + pathAndQuery.substring(queryStart);
  }

  /** A DNS-1123 label: what Kubernetes allows as a namespace or Function name. */
  static boolean isLabel(String s) {
    int n = s.length();
    if (n == 0 || n > 63 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
