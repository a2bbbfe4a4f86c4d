package dev.kinetic.activator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request path with its dot-segments removed (RFC 3986 §5.2.4), so that the route is decided on
 * the path the function will see and no path can leave its {@code /<namespace>/<function>/} prefix.
 * {@code %2e} is an encoded '.', an unreserved character (§2.3, §6.2.2.2), so {@code /%2e%2e/}
 * climbs like {@code /../}. An encoded '/' or '\' is refused instead: servers disagree on whether
 * it separates segments (Tomcat and Apache httpd refuse it by default too), so passing it on would
 * let the activator and the function read different paths.
 */
final class DotSegments {
  private DotSegments() {}

  /**
   * @param path the path part of a request target, starting with '/'
   * @return the path without dot-segments; {@code path} itself when it has none
   * @throws Target.Invalid if the path holds an encoded '/' or '\'
   */
  static String remove(String path) throws Target.Invalid {
    if (path.indexOf('%') < 0 && path.indexOf("/.") < 0) {
      return path; // the common case, decided by two scans
    }
    String decoded = decodeDotsRefusingSlashes(path);
    if (decoded.indexOf("/.") < 0) {
      return path;
    }
    String[] segments = decoded.substring(1).split("/", -1);
    List<String> out = new ArrayList<>(segments.length);
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      switch (segments[i]) {
        case "." -> {
          if (last) {
            out.add(""); // "/a/." is "/a/"
          }
        }
        case ".." -> {
          if (!out.isEmpty()) {
            out.remove(out.size() - 1);
          }
          if (last) {
            out.add(""); // "/a/b/.." is "/a/"
          }
        }
        default -> out.add(segments[i]);
      }
    }
    return "/" + String.join("/", out);
  }

  private static String decodeDotsRefusingSlashes(String path) throws Target.Invalid {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        String code = path.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
        switch (code) {
          case "2e" -> {
            out.append('.');
            i += 2;
            continue;
          }
          case "2f" -> throw new Target.Invalid("an encoded '/' (%2F) in the path is refused");
          case "5c" -> throw new Target.Invalid("an encoded '\\' (%5C) in the path is refused");
          default -> {}
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
