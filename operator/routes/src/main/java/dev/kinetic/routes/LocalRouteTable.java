package dev.kinetic.routes;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A route table held in memory and changed by its owner: local mode's process supervisor. */
public final class LocalRouteTable implements RouteTable {
  private final Map<FunctionKey, Route> routes = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, FunctionKey> domains = Map.of();

  public void put(Route route) {
    routes.put(route.key(), route);
    notifyChanged(route.key());
  }

  public void remove(FunctionKey key) {
    routes.remove(key);
    notifyChanged(key);
  }

  /** Which function holds each domain, as decided by the owner ({@code Domains.holder}). */
  public void domains(Map<String, FunctionKey> holders) {
    domains = Map.copyOf(holders);
  }

  @Override
  public Optional<Route> route(FunctionKey key) {
    return Optional.ofNullable(routes.get(key));
  }

  @Override
  public Optional<FunctionKey> byDomain(String host) {
    return Optional.ofNullable(domains.get(host));
  }

  @Override
  public void subscribe(Listener listener) {
    listeners.add(listener);
  }

  private void notifyChanged(FunctionKey key) {
    for (Listener listener : listeners) {
      listener.changed(key);
    }
  }
}
