package dev.kinetic.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.operator.autoscale.ActivatorSlice;
import dev.kinetic.operator.routing.FakeActivator;
import dev.kinetic.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the fabric8 mock API server (CRUD mode): real watches and writes, no
 * schema validation, no server-side apply, no garbage collection. Those are covered by the
 * integration tests against a real kube-apiserver.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FunctionReconcilerTest {
  private static final String NS = "test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  @BeforeEach
  @AfterEach
  void clean() {
    client.resources(Function.class).inNamespace(NS).delete();
    client.apps().deployments().inNamespace(NS).delete();
    client.services().inNamespace(NS).delete();
    client.pods().inNamespace(NS).delete();
    client.configMaps().inNamespace(NS).withName(PlatformLimits.CONFIG_MAP_NAME).delete();
    client.discovery().v1().endpointSlices().inNamespace(NS).delete();
    await()
        .atMost(WAIT)
        .until(() -> client.resources(Function.class).inNamespace(NS).list().getItems().isEmpty());
  }

  @Test
  void createsADeploymentAndTwoServicesOwnedByTheFunction() {
    Function created = client.resource(Functions.function("hello", "img:1")).create();

    Deployment deployment = awaitDeployment("hello");
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    assertThat(deployment.getSpec().getReplicas()).as("initial scale defaults to min = 0").isZero();
    for (String name : List.of("hello", "hello-pods")) {
      Service service =
          await()
              .atMost(WAIT)
              .until(() -> client.services().inNamespace(NS).withName(name).get(), s -> s != null);
      assertThat(service.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    }

    Condition deploymentReady = awaitCondition("hello", Conditions.DEPLOYMENT_READY, "Deploying");
    assertThat(deploymentReady.getStatus()).isEqualTo("Unknown");
    assertThat(
            client
                .resources(Function.class)
                .inNamespace(NS)
                .withName("hello")
                .get()
                .getStatus()
                .getObservedGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
  }

  @Test
  void reportsReadyOnlyWhenTheDeploymentHasReadyPodsAndTheActivatorsRouteIt() throws Exception {
    Function function = podsReadyWithoutActivators("hello");
    try (FakeActivator activator = new FakeActivator()) {
      listed(activator);
      // An activator whose watch has not delivered the Function yet would answer 404.
      Condition routing = awaitCondition("hello", Conditions.READY, "Routing");
      assertThat(routing.getStatus()).isEqualTo("Unknown");
      assertThat(routing.getMessage())
          .isEqualTo(
              "0 of 1 activators route generation 1 so far: 127.0.0.1 routes no Function of this"
                  + " name yet");

      activator.routes(
          NS, "hello", function.getMetadata().getUid(), function.getMetadata().getGeneration());
      Condition ready = awaitCondition("hello", Conditions.READY, "Available");
      assertThat(ready.getStatus()).isEqualTo("True");
      assertThat(awaitCondition("hello", Conditions.ROUTES_READY, "Routed").getMessage())
          .isEqualTo("every activator asked (1) routes generation 1");
    }
    function = client.resources(Function.class).inNamespace(NS).withName("hello").get();
    // The function's own name, an alias of the activators' Service, not the pods' Service.
    assertThat(function.getStatus().getUrl()).isEqualTo("http://hello.test.svc.cluster.local");
    assertThat(function.getStatus().getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void anActivatorThatNeverAnswersIsNamedOnceTheProbeGivesUpOnIt() throws Exception {
    podsReadyWithoutActivators("hello");
    try (FakeActivator silent = new FakeActivator().silent()) {
      listed(silent);
      // The reconcile that asks stops waiting long before the probe does; the probe's answer,
      // when it gives up on the activator, brings the reconcile that writes it.
      await()
          .atMost(WAIT)
          .until(
              () -> condition("hello", Conditions.READY).map(Condition::getMessage).orElse(""),
              m -> m.endsWith("127.0.0.1 no answer within 1000 ms"));
    }
  }

  /** Created, and one pod ready: but no activator is there to route to it. */
  private Function podsReadyWithoutActivators(String name) {
    client.resource(Functions.function(name, "img:1")).create();
    awaitCondition(name, Conditions.READY, "Deploying");
    onePodReady(awaitDeployment(name));
    awaitCondition(name, Conditions.DEPLOYMENT_READY, "Available");
    assertThat(awaitCondition(name, Conditions.READY, "NoActivators").getStatus())
        .isEqualTo("Unknown");
    return client.resources(Function.class).inNamespace(NS).withName(name).get();
  }

  /** Listed in the activators' Service's slice (the operator's namespace is NS here). */
  private void listed(FakeActivator activator) {
    client
        .resource(ActivatorSlice.listing("kinetic-activator-abcde", NS, activator.port()))
        .create();
  }

  /** What the Deployment controller would report once one pod is ready. */
  private void onePodReady(Deployment deployment) {
    deployment.getSpec().setReplicas(1);
    deployment = client.resource(deployment).update();
    deployment.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withReadyReplicas(1)
            .build());
    client.resource(deployment).updateStatus();
  }

  @Test
  void anImageChangeRollsTheDeploymentAndKeepsTheAutoscalersReplicas() {
    client.resource(Functions.function("hello", "img:1")).create();
    Deployment deployment = awaitDeployment("hello");
    // The autoscaler (or kubectl scale) sets replicas; the reconciler must not undo it.
    client.apps().deployments().inNamespace(NS).withName("hello").scale(5);

    editFunction("hello", f -> f.getSpec().setImage("img:2"));

    await()
        .atMost(WAIT)
        .until(
            () ->
                image(client.apps().deployments().inNamespace(NS).withName("hello").get())
                    .equals("img:2"));
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("hello")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(5);
    assertThat(deployment.getMetadata().getUid())
        .isEqualTo(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("hello")
                .get()
                .getMetadata()
                .getUid());
  }

  @Test
  void anUnchangedFunctionCausesNoWrites() {
    client.resource(Functions.function("hello", "img:1")).create();
    awaitCondition("hello", Conditions.READY, "Deploying");
    String deploymentVersion = awaitDeployment("hello").getMetadata().getResourceVersion();
    String functionVersion =
        client
            .resources(Function.class)
            .inNamespace(NS)
            .withName("hello")
            .get()
            .getMetadata()
            .getResourceVersion();

    // The limits ConfigMap maps to every Function, so this makes the operator reconcile "hello"
    // again; the reconcile must find nothing to do. Creating "other" afterwards and waiting for it
    // proves the operator has worked through its queue.
    limits(Map.of("maxReplicas", "100"));
    client.resource(Functions.function("other", "img:1")).create();
    awaitCondition("other", Conditions.READY, "Deploying");

    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("hello")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(deploymentVersion);
    assertThat(
            client
                .resources(Function.class)
                .inNamespace(NS)
                .withName("hello")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(functionVersion);
  }

  @Test
  void repairsDriftInTheFieldsItOwns() {
    client.resource(Functions.function("hello", "img:1")).create();
    Deployment deployment = awaitDeployment("hello");

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("hello")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone-else:9");
              return d;
            });

    await()
        .atMost(WAIT)
        .until(
            () ->
                image(client.apps().deployments().inNamespace(NS).withName("hello").get())
                    .equals("img:1"));
  }

  @Test
  void aFunctionAboveAPlatformLimitIsReportedAndWhatRunsKeepsRunning() {
    client.resource(Functions.function("hello", "img:1")).create();
    awaitDeployment("hello");
    limits(Map.of("maxConcurrency", "10"));

    editFunction(
        "hello",
        f -> {
          f.getSpec().setImage("img:2");
          Functions.withHard(f, 20);
        });

    Condition ready = awaitCondition("hello", Conditions.READY, "ExceedsPlatformLimit");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .isEqualTo("spec.concurrency.hard is 20, above the platform limit of 10");
    assertThat(image(client.apps().deployments().inNamespace(NS).withName("hello").get()))
        .as("the running version is left alone")
        .isEqualTo("img:1");
  }

  @Test
  void aMemoryLimitThatIsNotAQuantityIsAnInvalidSpecNamingTheFieldAndValue() {
    Function f = Functions.function("hello", "img:1");
    f.getSpec().setResources(dev.kinetic.api.FunctionResources.limits("memory", "lots"));
    client.resource(f).create();

    Condition ready = awaitCondition("hello", Conditions.READY, "InvalidSpec");

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .isEqualTo(
            "spec.resources.limits.memory: 'lots' is not a quantity; write a number or one such as"
                + " 256Mi, 1Gi or 500m")
        .doesNotContain("Exception");
    assertThat(client.apps().deployments().inNamespace(NS).withName("hello").get())
        .as("nothing is made of a spec that cannot be read")
        .isNull();
  }

  @Test
  void raisingTheLimitAtRuntimeLetsTheFunctionDeploy() {
    limits(Map.of("maxConcurrency", "10"));
    awaitLimitsSeen("ExceedsPlatformLimit");
    client.resource(Functions.withHard(Functions.function("big", "img:1"), 20)).create();
    awaitCondition("big", Conditions.READY, "ExceedsPlatformLimit");
    assertThat(client.apps().deployments().inNamespace(NS).withName("big").get()).isNull();

    limits(Map.of("maxConcurrency", "50"));

    Deployment deployment = awaitDeployment("big");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(e -> e.getName().equals("KINETIC_CONCURRENCY_HARD") && e.getValue().equals("20"));
  }

  @Test
  void anUnreadableLimitsConfigMapIsReportedNotIgnored() {
    limits(Map.of("maxReplica", "10"));
    awaitLimitsSeen("InvalidPlatformLimits");
    client.resource(Functions.function("hello", "img:1")).create();
    Condition ready = awaitCondition("hello", Conditions.READY, "InvalidPlatformLimits");
    assertThat(ready.getMessage()).contains("unknown keys [maxReplica]");
    assertThat(client.apps().deployments().inNamespace(NS).withName("hello").get()).isNull();
  }

  @Test
  void anImagePullFailureOfAPodSurfacesInTheStatus() {
    client.resource(Functions.function("hello", "nope:1")).create();
    awaitDeployment("hello");
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("hello-abc")
                .withNamespace(NS)
                .addToLabels(Function.FUNCTION_LABEL, "hello")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("function")
                .withImage("nope:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName("function")
                        .withImage("nope:1")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ErrImagePull")
                        .withMessage("manifest unknown")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build())
        .create();

    Condition ready = awaitCondition("hello", Conditions.READY, "ImagePullFailed");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .contains("hello-abc")
        .contains("nope:1")
        .contains("manifest unknown");
  }

  /**
   * Edits as kubectl edit does: read, change, write with the read resourceVersion, and try again on
   * a conflict (the operator writes the status concurrently).
   */
  private void editFunction(String name, java.util.function.Consumer<Function> change) {
    await()
        .atMost(WAIT)
        .ignoreException(KubernetesClientException.class)
        .until(
            () -> {
              Function f = client.resources(Function.class).inNamespace(NS).withName(name).get();
              change.accept(f);
              client.resource(f).update();
              return true;
            });
  }

  /**
   * Waits until the operator's watch has delivered the limits just written: a Function created
   * before that is reconciled under the old ones (and keeps its Deployment, as a running function
   * should when an admin edits the limits). A witness with hard 20 is reported {@code reason}.
   */
  private void awaitLimitsSeen(String reason) {
    client.resource(Functions.withHard(Functions.function("witness", "img:1"), 20)).create();
    awaitCondition("witness", Conditions.READY, reason);
    client.resources(Function.class).inNamespace(NS).withName("witness").delete();
  }

  private void limits(Map<String, String> data) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(PlatformLimits.CONFIG_MAP_NAME)
                .withNamespace(NS)
                .endMetadata()
                .withData(data)
                .build())
        .createOr(existing -> existing.update());
  }

  private Deployment awaitDeployment(String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.apps().deployments().inNamespace(NS).withName(name).get(), d -> d != null);
  }

  private Condition awaitCondition(String name, String type, String reason) {
    return await()
        .atMost(WAIT)
        .until(
            () -> condition(name, type).orElse(null),
            c -> c != null && reason.equals(c.getReason()));
  }

  private Optional<Condition> condition(String name, String type) {
    Function f = client.resources(Function.class).inNamespace(NS).withName(name).get();
    return f == null || f.getStatus() == null
        ? Optional.empty()
        : Conditions.find(f.getStatus().getConditions(), type);
  }

  private static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
