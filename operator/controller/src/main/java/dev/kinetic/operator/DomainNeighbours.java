package dev.kinetic.operator;

import dev.kinetic.api.Domains;
import dev.kinetic.api.Function;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * When a Function's claimed or held domains change (or it comes or goes), the other Functions that
 * claim one of them are reconciled too, so a domain given up goes to the next claimant at once and
 * a claimant learns who took one. The held domains are in the status, so a name the spec no longer
 * claims still maps to those waiting for it. A Function without domains, the usual case, maps to
 * nothing.
 */
final class DomainNeighbours implements SecondaryToPrimaryMapper<Function> {
  private final Supplier<IndexedResourceCache<Function>> functions;

  DomainNeighbours(Supplier<IndexedResourceCache<Function>> functions) {
    this.functions = functions;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Function changed) {
    Set<String> domains = new HashSet<>(Domains.of(changed));
    domains.addAll(Domains.recorded(changed));
    if (domains.isEmpty()) {
      return Set.of();
    }
    ResourceID id = ResourceID.fromResource(changed);
    return functions
        .get()
        .list()
        .filter(f -> Domains.of(f).stream().anyMatch(domains::contains))
        .map(ResourceID::fromResource)
        .filter(other -> !other.equals(id))
        .collect(Collectors.toSet());
  }
}
