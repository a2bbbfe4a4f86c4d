package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainsTest {
  /** A Function claiming {@code domains}, created at {@code created}, holding none yet. */
  static Function function(String namespace, String name, String created, String... domains) {
    Function f = new Function();
    f.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withCreationTimestamp(created)
            .build());
    FunctionSpec spec = new FunctionSpec();
    spec.setDomains(domains.length == 0 ? null : List.of(domains));
    f.setSpec(spec);
    return f;
  }

  /** The same Function, its status recording that it holds {@code held}. */
  static Function holding(Function f, String... held) {
    FunctionStatus status = new FunctionStatus();
    status.setDomains(List.of(held));
    f.setStatus(status);
    return f;
  }

  private static final String OLD = "2026-12-07T06:00:00Z";
  private static final String NEW = "2026-12-07T08:00:00Z";

  @Test
  void aFreeDomainIsHeldByTheFunctionThatClaimsIt() {
    Function shop = function("team-b", "shop", NEW, "api.example.com", "shop.io");

    Domains.Assignment a = Domains.assign(shop, List.of(shop));

    assertThat(a.held()).containsExactly("api.example.com", "shop.io");
    assertThat(a.taken()).isEmpty();
  }

  @Test
  void aDomainHeldElsewhereStaysThereEvenForAnOlderFunctionThatClaimsItLater() {
    Function shop = holding(function("team-b", "shop", NEW, "api.example.com"), "api.example.com");
    Function old = function("team-a", "old", OLD, "api.example.com", "old.io");

    Domains.Assignment a = Domains.assign(old, List.of(shop, old));

    assertThat(a.held()).containsExactly("old.io");
    assertThat(a.taken()).containsOnlyKeys("api.example.com");
    assertThat(a.taken().get("api.example.com")).isSameAs(shop);
    assertThat(Domains.holder("api.example.com", List.of(shop, old))).contains(shop);
  }

  @Test
  void twoFunctionsThatTookADomainAtTheSameTimeLeaveItToTheOlder() {
    Function older = holding(function("team-b", "b", OLD, "api.example.com"), "api.example.com");
    Function newer = holding(function("team-a", "a", NEW, "api.example.com"), "api.example.com");

    assertThat(Domains.assign(older, List.of(older, newer)).held())
        .containsExactly("api.example.com");
    assertThat(Domains.assign(newer, List.of(older, newer)).held()).isEmpty();
    assertThat(Domains.holder("api.example.com", List.of(newer, older))).contains(older);
  }

  @Test
  void aDomainGivenUpOrOfAFunctionBeingDeletedIsFreeThoughTheStatusStillNamesIt() {
    // The holder's spec no longer claims it; its status is written on its next reconcile.
    Function gaveUp = holding(function("team-b", "shop", OLD, "other.io"), "api.example.com");
    Function deleting =
        holding(function("team-c", "gone", OLD, "www.example.com"), "www.example.com");
    deleting.getMetadata().setDeletionTimestamp(NEW);
    Function next = function("team-a", "next", NEW, "api.example.com", "www.example.com");

    assertThat(Domains.assign(next, List.of(gaveUp, deleting, next)).held())
        .containsExactly("api.example.com", "www.example.com");
    assertThat(Domains.holder("api.example.com", List.of(gaveUp, next))).isEmpty();
  }

  @Test
  void holdersNameEachHeldDomainOnce() {
    Function shop =
        holding(
            function("team-b", "shop", OLD, "api.example.com", "shop.io"),
            "api.example.com",
            "shop.io");
    Function waiting = function("team-c", "copy", NEW, "api.example.com");
    Function none = function("team-c", "plain", OLD);

    assertThat(Domains.holders(List.of(waiting, none, shop), f -> f.getMetadata().getName()))
        .isEqualTo(Map.of("api.example.com", "shop", "shop.io", "shop"));
    assertThat(Domains.of(none)).isEmpty();
  }

  @Test
  void withoutStatusesTheFirstClaimantByNamespaceAndNameHoldsEachDomain() {
    Function b = function(null, "b", null, "api.example.com", "b.io");
    Function a = function(null, "a", null, "api.example.com");
    Function c = function("team-0", "c", null, "c.io");

    assertThat(Domains.firstClaims(List.of(b, a, c), f -> f.getMetadata().getName()))
        .isEqualTo(Map.of("api.example.com", "a", "b.io", "b", "c.io", "c"));
  }
}
