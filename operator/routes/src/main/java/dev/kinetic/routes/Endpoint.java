package dev.kinetic.routes;

/** A ready pod (or, in local mode, process) of a function: where to connect. */
public record Endpoint(String host, int port) {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
