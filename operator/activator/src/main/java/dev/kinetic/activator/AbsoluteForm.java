package dev.kinetic.activator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A request target in absolute form ({@code GET http://hello.team-a.fn.local/orders HTTP/1.1}), as
 * a client configured with a proxy sends it. RFC 9112 §3.2.2: the target's authority, not the Host
 * header, names the host then. So the activator routes by the authority, and passes the request on
 * in origin form with the authority as its Host, as nginx does; routing by the Host header instead
 * let the two name different functions, and the pod got a target naming a host it was not routed
 * for. Parsed by the JDK's {@link URI}, which refuses what is not a URI.
 *
 * @param authority the target's host and port, the request's Host from now on
 * @param originForm its path (at least {@code /}) and query
 */
record AbsoluteForm(String authority, String originForm) {

  /** Empty for a target in origin form (a path), the usual case: one character is looked at. */
  static Optional<AbsoluteForm> of(String target) throws Target.Invalid {
    if (target.isEmpty() || target.charAt(0) == '/' || target.equals("*")) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new Target.Invalid("the request target is not a URI: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new Target.Invalid("the request target must be a path starting with '/'");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error.
      throw new Target.Invalid("an absolute request target needs a host and no user information");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return Optional.of(new AbsoluteForm(uri.getRawAuthority(), path + query));
  }
}
