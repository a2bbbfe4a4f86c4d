package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainPolicyTest {
  private static DomainPolicy read(String yaml) {
    return PlatformLimits.fromConfigMapData(Map.of(PlatformLimits.FUNCTION_DOMAINS, yaml))
        .domains();
  }

  @Test
  void withoutTheKeyAnyNameMayBeHeld() {
    DomainPolicy any = PlatformLimits.fromConfigMapData(Map.of()).domains();

    assertThat(any.allows("team-a", "api.example.com")).isTrue();
    assertThat(read(" ").allows("team-a", "anything.io")).isTrue();
  }

  @Test
  void eachNamespaceMayHoldItsOwnNamesAndThoseGivenToEveryNamespace() {
    DomainPolicy p =
        read("{\"*\": [\"*.shared.example.com\"], team-a: [\"*.a.example.com\", api.acme.io]}");

    assertThat(p.allows("team-a", "shop.a.example.com")).isTrue();
    assertThat(p.allows("team-a", "x.y.a.example.com")).as("any depth under it").isTrue();
    assertThat(p.allows("team-a", "api.acme.io")).isTrue();
    assertThat(p.allows("team-a", "blog.shared.example.com")).isTrue();
    assertThat(p.allows("team-b", "blog.shared.example.com")).isTrue();
    assertThat(p.allows("team-b", "shop.a.example.com")).as("another team's").isFalse();
    assertThat(p.allows("team-a", "a.example.com")).as("*. is below the name, not it").isFalse();
    assertThat(p.allows("team-a", "evila.example.com")).as("a whole label").isFalse();
    assertThat(p.names("team-a"))
        .containsExactly("*.a.example.com", "api.acme.io", "*.shared.example.com");
    assertThat(p.names("team-c")).containsExactly("*.shared.example.com");
  }

  @Test
  void anEmptyMapAllowsNoName() {
    DomainPolicy none = read("{}");

    assertThat(none.allows("team-a", "api.example.com")).isFalse();
    assertThat(none.names("team-a")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[api.example.com]",
        "{team-a: api.example.com}",
        "{Team_A: [api.example.com]}",
        "{team-a: [API.example.com]}",
        "{team-a: ['*']}",
        "{team-a: ['*.*.example.com']}",
        "{team-a: [10.0.0.1]}",
        "{team-a: [api.example.com"
      })
  void anythingElseIsRefusedNamingTheKey(String yaml) {
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kinetic-platform-limits key functionDomains ");
  }

  @Test
  void aFunctionClaimingANameItsNamespaceIsNotAllowedDoesNotHoldIt() {
    DomainPolicy p = read("{team-a: [\"*.a.example.com\"]}");
    Function f =
        DomainsTest.function(
            "team-a", "shop", "2026-12-07T07:00:00Z", "shop.a.example.com", "api.b.example.com");

    Domains.Assignment a = Domains.assign(f, List.of(f), p);

    assertThat(a.held()).containsExactly("shop.a.example.com");
    assertThat(a.refused()).containsExactly("api.b.example.com");
    assertThat(a.taken()).isEmpty();
  }
}
