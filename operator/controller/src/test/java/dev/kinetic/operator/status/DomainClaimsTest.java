package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.DomainPolicy;
import dev.kinetic.api.Domains;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.PlatformLimits;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainClaimsTest {
  private static Function function(String namespace, String name, String... domains) {
    Function f = new Function();
    f.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    FunctionSpec spec = new FunctionSpec();
    spec.setDomains(domains.length == 0 ? null : List.of(domains));
    f.setSpec(spec);
    return f;
  }

  @Test
  void aFunctionWithoutDomainsHasNoCondition() {
    assertThat(DomainClaims.verdict(function("team-a", "plain"), List.of(), Map.of())).isEmpty();
  }

  @Test
  void theHolderOfEveryDomainIsToldWhereItAnswers() {
    Function f = function("team-a", "api", "api.example.com", "x.io");

    assertThat(DomainClaims.verdict(f, List.of("api.example.com", "x.io"), Map.of()))
        .contains(Verdict.ok("Claimed", "answers at http://api.example.com, http://x.io"));
  }

  @Test
  void aDomainHeldElsewhereIsNamedWithItsHolderAndTheRestStillAnswer() {
    Function late = function("team-a", "late", "x.io", "api.example.com");
    Function shop = function("team-b", "shop", "api.example.com");

    Verdict v =
        DomainClaims.verdict(late, List.of("x.io"), Map.of("api.example.com", shop)).orElseThrow();

    assertThat(v.status()).isEqualTo(Conditions.FALSE);
    assertThat(v.reason()).isEqualTo("DomainTaken");
    assertThat(v.message())
        .isEqualTo(
            "api.example.com is held by team-b/shop, which had it first. It answers at"
                + " http://x.io; a name comes to it once its holder gives it up.");
    assertThat(
            DomainClaims.verdict(late, List.of(), Map.of("x.io", shop, "api.example.com", shop))
                .orElseThrow()
                .message())
        .startsWith("x.io is held by team-b/shop; api.example.com is held by team-b/shop,")
        .contains("It answers at none of them;");
  }

  @Test
  void aDomainThePlatformDoesNotAllowIsNamedWithWhatItAllows() {
    Function f = function("team-a", "shop", "shop.a.example.com", "api.b.example.com");
    DomainPolicy policy =
        PlatformLimits.fromConfigMapData(
                Map.of(PlatformLimits.FUNCTION_DOMAINS, "{team-a: ['*.a.example.com']}"))
            .domains();

    Verdict v =
        DomainClaims.verdict(
                f,
                new Domains.Assignment(
                    List.of("shop.a.example.com"), Map.of(), List.of("api.b.example.com")),
                policy)
            .orElseThrow();

    assertThat(v.reason()).isEqualTo("DomainNotAllowed");
    assertThat(v.message())
        .isEqualTo(
            "api.b.example.com is not among the domains the platform allows in namespace team-a"
                + " (*.a.example.com). It answers at http://shop.a.example.com; an admin sets the"
                + " allowed domains (functionDomains).");
  }
}
