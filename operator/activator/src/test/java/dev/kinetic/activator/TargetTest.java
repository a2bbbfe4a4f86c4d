package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.routes.FunctionKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
  /** As in the chart: the activators' own Service is kinetic-activator in kinetic-system. */
  private static final Hosts HOSTS =
      new Hosts("fn.local", "cluster.local", "kinetic-activator", Optional.of("kinetic-system"));

  /**
   * The functions that exist. One has the activators' own Service name, to show that the short form
   * of that Service's name still routes by path.
   */
  private static final Set<FunctionKey> EXISTING =
      Set.of(
          new FunctionKey("team-a", "hello"),
          new FunctionKey("kinetic-system", "kinetic-activator"));

  /**
   * Functions' own domains. team-b/shop holds api.example.com; team-b/thief claims the platform's
   * names, a Service's and the activators' own, which must keep routing as they did.
   */
  private static final Map<String, FunctionKey> DOMAINS =
      Map.of(
          "api.example.com", new FunctionKey("team-b", "shop"),
          "hello.team-a.fn.local", new FunctionKey("team-b", "thief"),
          "hello.team-a.svc.cluster.local", new FunctionKey("team-b", "thief"),
          "hello.team-a", new FunctionKey("team-b", "thief"),
          "kinetic-activator.kinetic-system", new FunctionKey("team-b", "thief"));

  private static Optional<Target> target(String host, String uri) throws Target.Invalid {
    return Target.of(
        host, uri, HOSTS, EXISTING::contains, h -> Optional.ofNullable(DOMAINS.get(h)));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}/{3} {4}")
  @CsvSource({
    "hello.team-a.fn.local, /x?y=1, team-a, hello, /x?y=1",
    "HELLO.TEAM-A.FN.LOCAL, /, team-a, hello, /",
    "localhost, /team-a/hello/x/y?z=2, team-a, hello, /x/y?z=2",
    "localhost, /team-a/hello, team-a, hello, /",
    "localhost, /team-a/hello?q, team-a, hello, /?q",
    "localhost, /team-a/hello/, team-a, hello, /",
    "localhost, /team-a/hello//x, team-a, hello, //x",
    // The function's own Service name, which the operator makes an alias of the activators'.
    "hello.team-a.svc.cluster.local, /x?y=1, team-a, hello, /x?y=1",
    "hello.team-a.svc, /, team-a, hello, /",
    "Hello.Team-A.Svc.Cluster.Local, /a/../b, team-a, hello, /b",
    // The activators' own Service routes by path, like any other host.
    "kinetic-activator.kinetic-system.svc.cluster.local, /team-a/hello/x, team-a, hello, /x",
    "kinetic-activator.kinetic-system.svc, /team-a/hello/, team-a, hello, /",
    // The short name a pod's DNS search list completes, for a function that exists.
    "hello.team-a, /x?y=1, team-a, hello, /x?y=1",
    "Hello.Team-A, /team-b/other/x, team-a, hello, /team-b/other/x",
    // For one that does not, it is a name from outside the cluster: routed by path.
    "gone.team-a, /team-b/other/x, team-b, other, /x",
    "kinetic-activator.kinetic-system, /team-a/hello/, team-a, hello, /",
    // Names that are not a Service of this cluster route by path too.
    "laptop.local, /team-a/hello/, team-a, hello, /",
    "hello.team-a.svc.other.domain, /team-b/other/, team-b, other, /",
    "a.hello.team-a.svc.cluster.local, /team-b/other/, team-b, other, /",
    "10.96.0.12, /team-a/hello/, team-a, hello, /",
    // A function's own domain: by Host, the path as it came (dot-segments removed).
    "api.example.com, /orders?id=1, team-b, shop, /orders?id=1",
    "API.Example.COM, /team-a/hello/../x, team-b, shop, /team-a/x",
  })
  void findsTheFunction(String host, String uri, String ns, String name, String forward)
      throws Exception {
    Target t = target(host, uri).orElseThrow();
    assertThat(t.key()).isEqualTo(new FunctionKey(ns, name));
    assertThat(t.forwardPath()).isEqualTo(forward);
  }

  @ParameterizedTest(name = "{1} -> {2}/{3} {4}")
  @CsvSource({
    // The route is decided after dot-segments go (RFC 3986 §5.2.4), plain or percent-encoded.
    "localhost, /team-a/other/../hello/x, team-a, hello, /x",
    "localhost, /team-a/other/%2e%2e/hello/x, team-a, hello, /x",
    "localhost, /team-a/other/%2E%2e/hello/x?a=/../b, team-a, hello, /x?a=/../b",
    "localhost, /team-a/hello/./x/., team-a, hello, /x/",
    "localhost, /team-a/hello/a/b/.., team-a, hello, /a/",
    "localhost, /x/../../../team-a/hello/y, team-a, hello, /y",
    "localhost, /team-a/hello/.well-known/x, team-a, hello, /.well-known/x",
    "localhost, /team-a/hello/a%2eb, team-a, hello, /a%2eb",
    // A path can never leave its /<namespace>/<function>/ prefix.
    "localhost, /team-a/hello/../../team-b/secret/, team-b, secret, /",
    "localhost, /team-a/hello/%2e%2e/%2e%2e/team-b/secret/x, team-b, secret, /x",
    "hello.team-a.fn.local, /a/../../b?q=1, team-a, hello, /b?q=1",
    "hello.team-a.fn.local, /%2e%2e/etc, team-a, hello, /etc",
  })
  void dotSegmentsAreRemovedBeforeRouting(
      String host, String uri, String ns, String name, String forward) throws Exception {
    Target t = target(host, uri).orElseThrow();
    assertThat(t.key()).isEqualTo(new FunctionKey(ns, name));
    assertThat(t.forwardPath()).isEqualTo(forward);
    String path = t.forwardPath().split("\\?", 2)[0].toLowerCase(java.util.Locale.ROOT);
    assertThat(path.replace("%2e", ".").split("/")).doesNotContain(".", "..");
  }

  @ParameterizedTest
  @CsvSource({
    "localhost, /team-a/hello/..%2f..%2fteam-b/x",
    "localhost, /team-a/hello/a%2Fb",
    "localhost, /team-a/hello/a%5cb",
    "hello.team-a.fn.local, /a%2fb"
  })
  void anEncodedSlashOrBackslashIsABadRequest(String host, String uri) {
    assertThatThrownBy(() -> target(host, uri))
        .isInstanceOf(Target.Invalid.class)
        .hasMessageContaining("in the path is refused");
  }

  @ParameterizedTest
  @CsvSource({
    "localhost, /",
    "localhost, /team-a/..",
    "localhost, /team-a/hello/../..",
    "localhost, /only-one",
    "localhost, /only-one/",
    "localhost, //hello/x",
    "localhost, /Bad_NS/fn/"
  })
  void aPathThatNamesNoFunctionIsNotFound(String host, String uri) throws Exception {
    assertThat(target(host, uri)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"a.b.c.fn.local", "under_score.ns.fn.local", ".ns.fn.local"})
  void aMalformedFunctionHostIsABadRequest(String host) {
    assertThatThrownBy(() -> target(host, "/"))
        .isInstanceOf(Target.Invalid.class)
        .hasMessageContaining("Host must be <function>.<namespace>.fn.local");
  }

  @ParameterizedTest
  @CsvSource({
    "kinetic-activator.kinetic-system.svc.cluster.local, /",
    "kinetic-activator.kinetic-system.svc, /",
    "gone.team-a, /",
    "kinetic-activator.kinetic-system, /",
    "under_score.team-a.svc, /"
  })
  void aHostThatIsNoFunctionsServiceNeedsAPath(String host, String uri) throws Exception {
    assertThat(target(host, uri)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      value = {"''", "NULL"},
      nullValues = "NULL")
  void noHostIsABadRequest(String host) {
    assertThatThrownBy(() -> target(host, "/")).hasMessage("the request has no Host header");
  }
}
