package dev.kinetic.operator.status;

import dev.kinetic.api.DomainPolicy;
import dev.kinetic.api.Domains;
import dev.kinetic.api.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@value #TYPE} condition of a Function with {@code spec.domains}: whether it holds each of
 * them ({@link Domains#assign}), and if not, why: the platform does not allow it the name, or
 * another Function holds it. Pure.
 */
public final class DomainClaims {
  public static final String TYPE = "DomainsReady";

  private DomainClaims() {}

  /**
   * Empty for a Function without domains: it has no such condition.
   *
   * @param policy what the platform allows, for the message of a domain it refused
   */
  public static Optional<Verdict> verdict(
      Function function, Domains.Assignment assignment, DomainPolicy policy) {
    if (Domains.of(function).isEmpty()) {
      return Optional.empty();
    }
    String answers =
        assignment.held().isEmpty()
            ? "at none of them"
            : "at "
                + String.join(", ", assignment.held().stream().map(d -> "http://" + d).toList());
    if (!assignment.refused().isEmpty()) {
      String namespace = function.getMetadata().getNamespace();
      List<String> names = policy.names(namespace);
      return Optional.of(
          Verdict.failed(
              "DomainNotAllowed",
              String.join(", ", assignment.refused())
                  + (assignment.refused().size() == 1 ? " is" : " are")
                  + " not among the domains the platform allows in namespace "
                  + namespace
                  + " ("
                  + (names.isEmpty() ? "none" : String.join(", ", names))
                  + "). It answers "
                  + answers
                  + "; an admin sets the allowed domains (functionDomains)."));
    }
    List<String> taken = new ArrayList<>();
    for (String domain : Domains.of(function)) {
      Function holder = assignment.taken().get(domain);
      if (holder != null) {
        taken.add(
            domain
                + " is held by "
                + holder.getMetadata().getNamespace()
                + "/"
                + holder.getMetadata().getName());
      }
    }
    return Optional.of(
        taken.isEmpty()
            ? Verdict.ok("Claimed", "answers " + answers)
            : Verdict.failed(
                "DomainTaken",
                String.join("; ", taken)
                    + ", which had it first. It answers "
                    + answers
                    + "; a name comes to it once its holder gives it up."));
  }

  /** For a test: the verdict of a Function whose claims are as given, any name allowed. */
  static Optional<Verdict> verdict(
      Function function, List<String> held, Map<String, Function> taken) {
    return verdict(function, new Domains.Assignment(held, taken, List.of()), DomainPolicy.ANY);
  }
}
