package dev.kinetic.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Function's own domains ({@code spec.domains}) and who holds each: a name stays with the
 * Function that holds it ({@code status.domains}, written by the operator) for as long as it claims
 * it; a free name goes to the Function that claims it. So an older Function that adds a name to its
 * spec cannot take it from the one serving it, and a Function in another namespace cannot either
 * (Knative's DomainMapping is first come, first served the same way). The activators route by
 * {@link #holder} and the operator assigns by {@link #assign}, from the same Functions.
 */
public final class Domains {
  /**
   * A lower-case DNS name of at least two labels whose last starts with a letter (so never an IP
   * address): what a Host header names and a certificate covers. No wildcard. The dot in brackets,
   * so that a CEL rule's string holds it without an escape.
   */
  public static final String PATTERN =
      "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?[.])+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** At most this many per Function. */
  public static final int MAX = 8;

  /**
   * Between two Functions that both hold a name for a moment (assigned at the same time by two
   * reconciles), the older keeps it; then namespace and name.
   */
  private static final Comparator<Function> RANK =
      Comparator.comparing(Domains::created)
          .thenComparing(f -> Objects.toString(f.getMetadata().getNamespace(), ""))
          .thenComparing(f -> f.getMetadata().getName());

  private Domains() {}

  /** The Function's claimed domains; empty without any. */
  public static List<String> of(Function function) {
    List<String> domains = function.getSpec() == null ? null : function.getSpec().getDomains();
    return domains == null ? List.of() : domains;
  }

  /** The domains its status says it holds, whether or not it still claims them. */
  public static List<String> recorded(Function function) {
    List<String> held = function.getStatus() == null ? null : function.getStatus().getDomains();
    return held == null ? List.of() : held;
  }

  /** Whether it holds {@code domain}: recorded, still claimed, and not being deleted. */
  public static boolean holds(Function function, String domain) {
    return function.getMetadata().getDeletionTimestamp() == null
        && of(function).contains(domain)
        && recorded(function).contains(domain);
  }

  /** Of the Functions given, the one {@code domain} routes to, if any holds it. */
  public static Optional<Function> holder(String domain, Collection<Function> functions) {
    return functions.stream().filter(f -> holds(f, domain)).min(RANK);
  }

  /** Every held domain with its {@link #holder}, as {@code key} names it. */
  public static <K> Map<String, K> holders(
      Collection<Function> functions, java.util.function.Function<Function, K> key) {
    Map<String, K> holders = new HashMap<>();
    for (Function f : functions) {
      for (String domain : recorded(f)) {
        if (!holders.containsKey(domain)) {
          holder(domain, functions).ifPresent(h -> holders.put(domain, key.apply(h)));
        }
      }
    }
    return Map.copyOf(holders);
  }

  /** {@link #assign(Function, Collection, DomainPolicy)} where any name may be held. */
  public static Assignment assign(Function function, Collection<Function> others) {
    return assign(function, others, DomainPolicy.ANY);
  }

  /**
   * The domains {@code function} holds now, given {@code others} (it among them or not): each it
   * claims that the platform allows its namespace and that no other Function holds, and each it
   * holds already that another holds too only if it ranks first of them.
   */
  public static Assignment assign(
      Function function, Collection<Function> others, DomainPolicy policy) {
    List<String> held = new ArrayList<>();
    Map<String, Function> taken = new HashMap<>();
    List<String> refused = new ArrayList<>();
    for (String domain : of(function)) {
      if (!policy.allows(function.getMetadata().getNamespace(), domain)) {
        refused.add(domain);
        continue;
      }
      Optional<Function> other =
          others.stream().filter(f -> !same(f, function)).filter(f -> holds(f, domain)).min(RANK);
      boolean keeps =
          other.isEmpty()
              || (recorded(function).contains(domain) && RANK.compare(function, other.get()) < 0);
      if (keeps) {
        held.add(domain);
      } else {
        taken.put(domain, other.get());
      }
    }
    return new Assignment(List.copyOf(held), Map.copyOf(taken), List.copyOf(refused));
  }

  /**
   * @param held the domains the Function holds, in the order of its spec
   * @param taken each other domain it claims, with the Function that holds it
   * @param refused the domains it claims that the platform does not allow its namespace
   */
  public record Assignment(List<String> held, Map<String, Function> taken, List<String> refused) {}

  /**
   * Where no Function has a status (local mode): each domain to the first claimant by namespace and
   * name.
   */
  public static <K> Map<String, K> firstClaims(
      Collection<Function> functions, java.util.function.Function<Function, K> key) {
    Map<String, K> holders = new HashMap<>();
    functions.stream()
        .sorted(RANK)
        .forEach(f -> of(f).forEach(domain -> holders.putIfAbsent(domain, key.apply(f))));
    return Map.copyOf(holders);
  }

  private static boolean same(Function a, Function b) {
    return a.getMetadata().getName().equals(b.getMetadata().getName())
        && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }

  /** Created-at, or the end of time for one not yet stored (it ranks last). */
  private static Instant created(Function function) {
    String at = function.getMetadata().getCreationTimestamp();
    return at == null ? Instant.MAX : Instant.parse(at);
  }
}
