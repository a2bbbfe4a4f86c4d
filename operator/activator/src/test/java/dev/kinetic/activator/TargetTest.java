package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.routes.FunctionKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
  @ParameterizedTest(name = "{0} {1} -> {2}/{3} {4}")
  @CsvSource({
    "hello.team-a.fn.local, /x?y=1, team-a, hello, /x?y=1",
    "HELLO.TEAM-A.FN.LOCAL, /, team-a, hello, /",
    "localhost, /team-a/hello/x/y?z=2, team-a, hello, /x/y?z=2",
    "localhost, /team-a/hello, team-a, hello, /",
    "localhost, /team-a/hello?q, team-a, hello, /?q",
    "localhost, /team-a/hello/, team-a, hello, /",
    "localhost, /team-a/hello//x, team-a, hello, //x",
  })
  void findsTheFunction(String host, String uri, String ns, String name, String forward)
      throws Exception {
    Target t = Target.of(host, uri, "fn.local").orElseThrow();
    assertThat(t.key()).isEqualTo(new FunctionKey(ns, name));
    assertThat(t.forwardPath()).isEqualTo(forward);
  }

  @ParameterizedTest
  @CsvSource({
    "localhost, /",
    "localhost, /only-one",
    "localhost, /only-one/",
    "localhost, //hello/x",
    "localhost, /Bad_NS/fn/"
  })
  void aPathThatNamesNoFunctionIsNotFound(String host, String uri) throws Exception {
    assertThat(Target.of(host, uri, "fn.local")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"a.b.c.fn.local", "under_score.ns.fn.local", ".ns.fn.local"})
  void aMalformedFunctionHostIsABadRequest(String host) {
    assertThatThrownBy(() -> Target.of(host, "/", "fn.local"))
        .isInstanceOf(Target.Invalid.class)
        .hasMessageContaining("Host must be <function>.<namespace>.fn.local");
  }

  @ParameterizedTest
  @CsvSource(
      value = {"''", "NULL"},
      nullValues = "NULL")
  void noHostIsABadRequest(String host) {
    assertThatThrownBy(() -> Target.of(host, "/", "fn.local"))
        .hasMessage("the request has no Host header");
  }
}
