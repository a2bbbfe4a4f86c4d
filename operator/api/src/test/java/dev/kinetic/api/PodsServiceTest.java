package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodsServiceTest {
  private static final String LONGEST = "f" + "x".repeat(62);

  @Test
  void isTheFunctionsNameWithASuffix() {
    assertThat(PodsService.name("hello")).isEqualTo("hello-pods");
    assertThat(PodsService.name("x".repeat(58))).isEqualTo("x".repeat(58) + "-pods");
  }

  @Test
  void aNameTooLongForTheSuffixKeepsItsStartAndAHashAndFitsInALabel() {
    String name = PodsService.name(LONGEST);

    assertThat(name).hasSize(63).startsWith(LONGEST.substring(0, 49) + "-").endsWith("-pods");
    assertThat(name).matches("[a-z]([-a-z0-9]*[a-z0-9])?");
    assertThat(PodsService.name(LONGEST.substring(0, 62) + "y")).isNotEqualTo(name);
    assertThat(PodsService.name(LONGEST)).isEqualTo(name);
  }
}
