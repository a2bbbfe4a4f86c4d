package dev.kinetic.activator;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which function a request is for, from its Host ({@code <function>.<namespace>.<domain>}) or, for
 * any other host, its path ({@code /<namespace>/<function>/...}, the prefix stripped). Nothing else
 * a client sends can change the route.
 */
record Target(FunctionKey key, String forwardPath) {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Why a request has no target: the client's mistake, answered with 400. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param host the Host header without port, as sent
   * @param pathAndQuery the request's URI: path and query
   * @return empty when the request names no function at all (404)
   */
  static Optional<Target> of(String host, String pathAndQuery, String domain) throws Invalid {
    if (host == null || host.isEmpty()) {
      throw new Invalid("the request has no Host header");
    }
    String h = host.toLowerCase(Locale.ROOT);
    String suffix = "." + domain;
    if (h.endsWith(suffix)) {
      String[] labels = h.substring(0, h.length() - suffix.length()).split("\\.", -1);
      if (labels.length != 2
          || !LABEL.matcher(labels[0]).matches()
          || !LABEL.matcher(labels[1]).matches()) {
        throw new Invalid("Host must be <function>.<namespace>." + domain + ", got '" + host + "'");
      }
      return Optional.of(new Target(new FunctionKey(labels[1], labels[0]), pathAndQuery));
    }
    if (!pathAndQuery.startsWith("/")) {
      throw new Invalid("the request target must be a path starting with '/'");
    }
    int queryStart = pathAndQuery.indexOf('?');
    String path = queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart);
    String query = queryStart < 0 ? "" : pathAndQuery.substring(queryStart);
    String[] parts = path.split("/", 4);
    if (parts.length < 3
        || !LABEL.matcher(parts[1]).matches()
        || !LABEL.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    String rest = parts.length == 4 ? "/" + parts[3] : "/";
    return Optional.of(new Target(new FunctionKey(parts[1], parts[2]), rest + query));
  }
}
