package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AbsoluteFormTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/team-a/hello/?x=1", "*"})
  void anOriginFormTargetIsLeftAsItIs(String target) throws Exception {
    assertThat(AbsoluteForm.of(target)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "http://hello.team-a.fn.local/orders?id=1, hello.team-a.fn.local, /orders?id=1",
    "HTTP://hello.team-a.fn.local:8080, hello.team-a.fn.local:8080, /",
    "https://api.example.com/a%2Fb?q=%20, api.example.com, /a%2Fb?q=%20",
    "http://[::1]:80/x, '[::1]:80', /x",
  })
  void anAbsoluteTargetGivesItsAuthorityAndItsOriginForm(
      String target, String authority, String originForm) throws Exception {
    assertThat(AbsoluteForm.of(target)).contains(new AbsoluteForm(authority, originForm));
  }

  @ParameterizedTest
  @CsvSource({
    "hello, must be a path starting with '/'",
    "ftp://hello.team-a.fn.local/, must be a path starting with '/'",
    "http://user:secret@hello.team-a.fn.local/, no user information",
    "http:/no-authority, needs a host",
    "http://hello.team-a.fn.local/a b, not a URI",
  })
  void whatIsNeitherIsRefusedWithTheReason(String target, String reason) {
    assertThatThrownBy(() -> AbsoluteForm.of(target))
        .isInstanceOf(Target.Invalid.class)
        .hasMessageContaining(reason);
  }
}
