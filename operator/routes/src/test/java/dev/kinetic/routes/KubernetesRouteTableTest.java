package dev.kinetic.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.ConcurrencySpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.Visibility;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The route table against the fabric8 mock API server (CRUD mode) with real informers. */
@EnableKubernetesMockClient(crud = true)
class KubernetesRouteTableTest {
  private static final FunctionKey KEY = new FunctionKey("team-a", "hello");

  KubernetesClient client;

  @Test
  void aFunctionAndTheReadyEndpointsOfItsSliceMakeARoute() {
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      List<FunctionKey> changes = new CopyOnWriteArrayList<>();
      table.subscribe(changes::add);
      assertThat(table.route(KEY)).isEmpty();

      client.resource(function(5, 10)).create();
      await().until(() -> table.route(KEY).isPresent());
      Route cold = table.route(KEY).orElseThrow();
      assertThat(cold.ready()).isEmpty();
      assertThat(cold.hardConcurrency()).isEqualTo(5);
      assertThat(cold.timeout()).isEqualTo(Duration.ofSeconds(10));

      client.resource(slice(true, false)).create();
      await().until(() -> !table.route(KEY).orElseThrow().ready().isEmpty());
      assertThat(table.route(KEY).orElseThrow().ready())
          .containsExactly(new Endpoint("10.1.0.7", 8080));
      assertThat(changes).contains(KEY);

      client.resource(slice(true, true)).update();
      await().until(() -> table.route(KEY).orElseThrow().ready().isEmpty());

      client.resources(Function.class).inNamespace("team-a").withName("hello").delete();
      await().until(() -> table.route(KEY).isEmpty());
    }
  }

  @Test
  void itTellsWhichVersionOfAFunctionItRoutesBy() {
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      assertThat(table.version(KEY)).isEmpty();

      Function created = client.resource(function(5, 10)).create();
      await().until(() -> table.version(KEY).isPresent());
      assertThat(table.version(KEY).orElseThrow())
          .isEqualTo(
              new RouteVersion(
                  created.getMetadata().getUid(),
                  created.getMetadata().getGeneration(),
                  List.of()));

      created.getSpec().getConcurrency().setHard(7);
      Function edited = client.resource(created).update();
      assertThat(edited.getMetadata().getGeneration())
          .isGreaterThan(created.getMetadata().getGeneration());
      await()
          .until(
              () ->
                  table.version(KEY).orElseThrow().generation()
                      == edited.getMetadata().getGeneration());

      client.resources(Function.class).inNamespace("team-a").withName("hello").delete();
      await().until(() -> table.version(KEY).isEmpty());
    }
  }

  @Test
  void aDomainRoutesToTheFunctionTheOperatorGaveItToAndOnlyWhileItClaimsIt() {
    Function f = function(5, 10);
    f.getSpec().setDomains(List.of("api.example.com"));
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      client.resource(f).create();
      await().until(() -> table.route(KEY).isPresent());
      assertThat(table.byDomain("api.example.com")).as("claimed, not given yet").isEmpty();

      FunctionStatus held = new FunctionStatus();
      held.setDomains(List.of("api.example.com"));
      f.setStatus(held);
      client.resource(f).updateStatus();
      await().until(() -> table.byDomain("api.example.com").isPresent());
      assertThat(table.byDomain("api.example.com")).contains(KEY);
      assertThat(table.version(KEY).orElseThrow().domains()).containsExactly("api.example.com");
      assertThat(table.byDomain("other.example.com")).isEmpty();

      // Given up in the spec: no longer routed, though the status still names it until the
      // operator's next write.
      Function edited =
          client.resources(Function.class).inNamespace("team-a").withName("hello").get();
      edited.getSpec().setDomains(null);
      client.resource(edited).update();
      await().until(() -> table.byDomain("api.example.com").isEmpty());
    }
  }

  @Test
  void aClusterLocalFunctionsRouteSaysSoAndFollowsItsEdits() {
    Function f = function(5, 10);
    f.getSpec().setVisibility(Visibility.CLUSTER_LOCAL);
    client.resource(f).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      await().until(() -> table.route(KEY).isPresent());
      assertThat(table.route(KEY).orElseThrow().clusterLocal()).isTrue();

      f.getSpec().setVisibility(null);
      client.resource(f).update();

      await().until(() -> !table.route(KEY).orElseThrow().clusterLocal());
    }
  }

  @Test
  void aFunctionThatSaysNoVisibilityHasTheAdminsDefault() {
    ConfigMap limits = limits("10");
    limits.getData().put(PlatformLimits.FUNCTION_VISIBILITY, "ClusterLocal");
    client.resource(limits).create();
    client.resource(function(5, 10)).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, "kinetic-system")) {
      await().until(() -> table.route(KEY).isPresent());
      assertThat(table.route(KEY).orElseThrow().clusterLocal()).isTrue();

      limits.getData().remove(PlatformLimits.FUNCTION_VISIBILITY);
      client.resource(limits).update();

      await().until(() -> !table.route(KEY).orElseThrow().clusterLocal());
    }
  }

  @Test
  void thePlatformConcurrencyCapIsTheHardLimitOfAFunctionWithoutOneAndFollowsItsEdits() {
    client.resource(limits("2")).create();
    client.resource(function(0, 10)).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, "kinetic-system")) {
      List<FunctionKey> changes = new CopyOnWriteArrayList<>();
      table.subscribe(changes::add);
      assertThat(table.route(KEY).orElseThrow().hardConcurrency())
          .as("hard 0 under a cap")
          .isEqualTo(2);

      client.resource(limits("3")).update();

      await().until(() -> table.route(KEY).orElseThrow().hardConcurrency() == 3);
      assertThat(changes).as("the activator's gates hear of it").contains(KEY);
    }
  }

  @Test
  void aFunctionWhoseStatusSaysItCannotStartIsUnavailableUntilItRecovers() {
    client.resource(function(5, 10)).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      assertThat(table.route(KEY).orElseThrow().unavailable()).isEmpty();
      List<FunctionKey> changes = new CopyOnWriteArrayList<>();
      table.subscribe(changes::add);

      setReady("False", "ImagePullFailed", "cannot pull image example.com/hello:1: not found");

      await().until(() -> table.route(KEY).orElseThrow().unavailable().isPresent());
      assertThat(table.route(KEY).orElseThrow().unavailable())
          .contains(
              new Unavailable(
                  "ImagePullFailed", "cannot pull image example.com/hello:1: not found"));
      assertThat(changes).as("the activator's gates hear of it").contains(KEY);

      // Passing states are no reason to refuse: requests wait for the pod as usual.
      setReady("False", "Progressing", "1 of 1 pods starting");
      await().until(() -> table.route(KEY).orElseThrow().unavailable().isEmpty());
    }
  }

  private void setReady(String status, String reason, String message) {
    Function f = client.resources(Function.class).inNamespace("team-a").withName("hello").get();
    FunctionStatus s = new FunctionStatus();
    s.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime("2026-12-02T00:00:00Z")
                .build()));
    f.setStatus(s);
    client.resource(f).updateStatus();
  }

  private static ConfigMap limits(String maxConcurrency) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(PlatformLimits.CONFIG_MAP_NAME)
        .withNamespace("kinetic-system")
        .endMetadata()
        .addToData(PlatformLimits.MAX_CONCURRENCY, maxConcurrency)
        .build();
  }

  @Test
  void anEndpointThatIsNotReadyIsStartingNotReadyAndATerminatingOneIsNeither() {
    Endpoint pod = new Endpoint("10.1.0.7", 8080);
    assertThat(sorted(slice(false, false))).containsExactly(List.of(), List.of(pod));
    assertThat(sorted(slice(true, false))).containsExactly(List.of(pod), List.of());
    assertThat(sorted(slice(false, true))).containsExactly(List.of(), List.of());
    assertThat(sorted(slice(true, true))).containsExactly(List.of(), List.of());
  }

  /** [ready, starting] of one slice. */
  private static List<List<Endpoint>> sorted(EndpointSlice slice) {
    List<Endpoint> ready = new java.util.ArrayList<>();
    List<Endpoint> starting = new java.util.ArrayList<>();
    KubernetesRouteTable.sort(slice, ready, starting);
    return List.of(ready, starting);
  }

  @Test
  void aPodWithAnAddressButNotReadyIsAStartingEndpointOfTheRoute() {
    client.resource(function(5, 10)).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      client.resource(slice(false, false)).create();
      await().until(() -> !table.route(KEY).orElseThrow().starting().isEmpty());
      Route route = table.route(KEY).orElseThrow();
      assertThat(route.starting()).containsExactly(new Endpoint("10.1.0.7", 8080));
      assertThat(route.ready()).isEmpty();

      client.resource(slice(true, false)).update();
      await().until(() -> table.route(KEY).orElseThrow().starting().isEmpty());
      assertThat(table.route(KEY).orElseThrow().ready())
          .containsExactly(new Endpoint("10.1.0.7", 8080));
    }
  }

  @Test
  void onlyThePodsServicesSlicesCount() {
    client.resource(function(5, 10)).create();
    try (KubernetesRouteTable table = KubernetesRouteTable.start(client, null)) {
      // Left by the Service of the function's name, which selected the pods before it became an
      // alias of the activators' Service: nothing updates it any more.
      client.resource(slice("hello", "10.1.0.99", true, false)).create();
      client.resource(slice(true, false)).create();

      await().until(() -> !table.route(KEY).orElseThrow().ready().isEmpty());
      assertThat(table.route(KEY).orElseThrow().ready())
          .containsExactly(new Endpoint("10.1.0.7", 8080));
    }
  }

  private static Function function(int hard, int timeout) {
    Function f = new Function();
    f.setMetadata(new ObjectMetaBuilder().withName("hello").withNamespace("team-a").build());
    FunctionSpec spec = new FunctionSpec();
    spec.setImage("example.com/hello:1");
    spec.setTimeoutSeconds(timeout);
    ConcurrencySpec concurrency = new ConcurrencySpec();
    concurrency.setHard(hard);
    spec.setConcurrency(concurrency);
    f.setSpec(spec);
    return f;
  }

  private static EndpointSlice slice(boolean ready, boolean terminating) {
    return slice("hello-pods", "10.1.0.7", ready, terminating);
  }

  private static EndpointSlice slice(
      String service, String address, boolean ready, boolean terminating) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service + "-abc12")
        .withNamespace("team-a")
        .addToLabels(Function.FUNCTION_LABEL, "hello")
        .addToLabels("kubernetes.io/service-name", service)
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort()
        .withName("http")
        .withPort(8080)
        .withProtocol("TCP")
        .endPort()
        .withEndpoints(
            new EndpointBuilder()
                .withAddresses(address)
                .withNewConditions()
                .withReady(ready)
                .withTerminating(terminating)
                .endConditions()
                .build())
        .build();
  }
}
