package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes written out in one setting, for running the activator without Kubernetes (benchmarks, a
 * single machine): {@code <ns>/<name>=<host>:<port>[+<host>:<port>...];hard=<n>;timeout=<s>},
 * several separated by spaces. Example: {@code default/hello=127.0.0.1:8080;hard=10;timeout=30}.
 */
final class StaticRoutes {
  private StaticRoutes() {}

  static List<Route> parse(String spec) {
    List<Route> routes = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return routes;
    }
    for (String entry : spec.trim().split("\\s+")) {
      routes.add(parseOne(entry));
    }
    return routes;
  }

  private static Route parseOne(String entry) {
    String[] parts = entry.split(";");
    int eq = parts[0].indexOf('=');
    int slash = parts[0].indexOf('/');
    if (eq < 0 || slash < 0 || slash > eq) {
      throw new IllegalArgumentException(
          "route '"
              + entry
              + "' must look like <ns>/<name>=<host>:<port>[;hard=<n>][;timeout=<s>]");
    }
    FunctionKey key =
        new FunctionKey(parts[0].substring(0, slash), parts[0].substring(slash + 1, eq));
    List<Endpoint> endpoints = new ArrayList<>();
    for (String address : parts[0].substring(eq + 1).split("\\+")) {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "endpoint '" + address + "' in '" + entry + "' needs a port");
      }
      endpoints.add(
          new Endpoint(address.substring(0, colon), number(address.substring(colon + 1), entry)));
    }
    int hard = 0;
    Duration timeout = Duration.ofSeconds(30);
    for (int i = 1; i < parts.length; i++) {
      String[] option = parts[i].split("=", 2);
      if (option.length != 2) {
        throw new IllegalArgumentException(
            "option '" + parts[i] + "' in '" + entry + "' needs a value");
      }
      switch (option[0]) {
        case "hard" -> hard = number(option[1], entry);
        case "timeout" -> timeout = Duration.ofSeconds(number(option[1], entry));
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + option[0] + "' in '" + entry + "' (hard, timeout)");
      }
    }
    return new Route(key, hard, timeout, endpoints);
  }

  private static int number(String raw, String entry) {
    try {
      int value = Integer.parseInt(raw);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + raw + "' in '" + entry + "' is not a whole number");
    }
  }
}
