package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.Visibility;
import dev.kinetic.dispatcher.kafka.KafkaBroker;
import dev.kinetic.dispatcher.kafka.KafkaTopics;
import dev.kinetic.it.node.NodeRegistry;
import dev.kinetic.it.node.RealCluster;
import dev.kinetic.local.EchoSocket;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.naming.Context;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform on a real single-node cluster ({@link RealCluster}: kubelet, containerd, runc,
 * kube-proxy, CoreDNS), installed and used the way a user does it: {@code helm install} of
 * helm/kinetic with the helm CLI, {@code kubectl apply} of the examples, HTTP through the
 * activator's Service. Pods are started by the kubelet from the images operator/images builds. The
 * node is torn down after the last test and the host checked for leftovers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeIT {
  private static final String SYSTEM_NS = "kinetic-system";
  private static final String FUNCTION_NS = "default";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static RealCluster cluster;
  private static KubernetesClient client;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startNode() {
    cluster = RealCluster.start();
    client = cluster.adminClient();
  }

  @AfterAll
  static void stopNodeAndCheckTheHost() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      Path logs = Path.of("target/real-node-logs");
      try {
        cluster.keepLogs(logs);
        System.out.println("the node's logs: " + logs.toAbsolutePath());
      } finally {
        cluster.close();
      }
      assertThat(cluster.leftovers()).as("what the node left on the host").isEmpty();
    }
  }

  @Test
  @Order(1)
  void helmInstallsThePlatformIntoARestrictedNamespace() throws Exception {
    String out = NodeCli.installPlatform(cluster, SYSTEM_NS);
    assertThat(out).contains("STATUS: deployed");

    for (String name : List.of("kinetic-operator", "kinetic-activator", "kinetic-dispatcher")) {
      Deployment d = client.apps().deployments().inNamespace(SYSTEM_NS).withName(name).get();
      assertThat(d.getStatus().getReadyReplicas()).as(name + " ready replicas").isEqualTo(2);
    }
    List<Pod> pods = client.pods().inNamespace(SYSTEM_NS).list().getItems();
    assertThat(pods)
        .as("every platform pod started by the kubelet, running and ready")
        .hasSize(6)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getSpec().getNodeName()).isEqualTo("kinetic-node");
            });
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      if (name.startsWith("kinetic-activator-") || name.startsWith("kinetic-dispatcher-")) {
        // Their Kubernetes and Kafka clients log through SLF4J: without a provider in the image
        // their warnings (RBAC refusing a watch, a broker refusing credentials) would vanish.
        assertThat(client.pods().inNamespace(SYSTEM_NS).withName(name).getLog())
            .as(name + " log")
            .doesNotContain("No SLF4J providers");
      }
    }
    List<String> operatorPods =
        pods.stream()
            .map(p -> p.getMetadata().getName())
            .filter(n -> n.startsWith("kinetic-operator-"))
            .toList();
    Lease lease =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                RealNodeIT::operatorLease,
                l -> l != null && l.getSpec().getHolderIdentity() != null);
    assertThat(operatorPods).as("one operator holds the lease").contains(holder(lease));
    Lease dispatcherLease =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> client.leases().inNamespace(SYSTEM_NS).withName(DISPATCHER_LEASE).get(),
                l -> l != null && l.getSpec().getHolderIdentity() != null);
    assertThat(holder(dispatcherLease))
        .as("one dispatcher holds its lease")
        .startsWith("kinetic-dispatcher-");
  }

  private static final String DISPATCHER_LEASE = "kinetic-dispatcher";

  /** The operator's Lease: the one in the platform's namespace that is not the dispatcher's. */
  private static Lease operatorLease() {
    return client.leases().inNamespace(SYSTEM_NS).list().getItems().stream()
        .filter(l -> !DISPATCHER_LEASE.equals(l.getMetadata().getName()))
        .findFirst()
        .orElse(null);
  }

  @Test
  @Order(2)
  void everyExampleAppliedWithKubectlIsReadyAtZero() throws Exception {
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "create",
        "secret",
        "generic",
        "api-token",
        "--from-literal=token=node-test-token");
    List<Path> manifests = examples();
    for (Path manifest : manifests) {
      NodeCli.run(
          cluster, "kubectl", "--namespace", FUNCTION_NS, "apply", "-f", manifest.toString());
    }
    List<Function> functions =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> client.resources(Function.class).inNamespace(FUNCTION_NS).list().getItems(),
                all -> all.size() == manifests.size() && all.stream().allMatch(Readiness::ready));
    for (Function f : functions) {
      // Ready only once both activators route it: they were asked, and said so.
      assertThat(findCondition(f.getStatus().getConditions(), "RoutesReady"))
          .as(f.getMetadata().getName() + " RoutesReady")
          .hasValueSatisfying(
              c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage())
                    .isEqualTo(
                        "every activator asked (2) routes generation "
                            + f.getMetadata().getGeneration());
              });
      Deployment d =
          client
              .apps()
              .deployments()
              .inNamespace(FUNCTION_NS)
              .withName(f.getMetadata().getName())
              .get();
      assertThat(d.getSpec().getReplicas()).as(f.getMetadata().getName() + " at zero").isZero();
      assertThat(f.getStatus().getLastScaleReason())
          .as(f.getMetadata().getName() + " says why it has no pod")
          .isEqualTo("created at zero pods: the first request starts one");
    }
    // What a user reads first, in the README's column order (the CRD's, not alphabetical).
    List<String> table =
        NodeCli.run(cluster, "kubectl", "--namespace", FUNCTION_NS, "get", "fn", "hello")
            .lines()
            .toList();
    assertThat(table.get(0).split("\\s+"))
        .containsExactly("NAME", "READY", "REASON", "REPLICAS", "URL", "AGE");
    assertThat(table.get(1).split("\\s+"))
        .startsWith(
            "hello",
            "True",
            "ScaledToZero",
            "0",
            "http://hello." + FUNCTION_NS + ".svc.cluster.local");
    // -o wide adds what runs and why it has the pods it has.
    List<String> wide =
        NodeCli.run(
                cluster, "kubectl", "--namespace", FUNCTION_NS, "get", "fn", "hello", "-o", "wide")
            .lines()
            .toList();
    assertThat(wide.get(0))
        .matches(
            "NAME\\s+READY\\s+REASON\\s+REPLICAS\\s+URL\\s+IMAGE\\s+VISIBILITY\\s+DESIRED\\s+LAST"
                + " SCALE\\s+AGE\\s*");
    assertThat(wide.get(1))
        .contains("ghcr.io/kinetic-dev/examples/hello:0.1.0")
        .contains(" Public ")
        .contains("created at zero pods: the first request starts one");
  }

  @Test
  @Order(3)
  void readyFunctionsLeftAloneCauseNoWritesEvenWhenAReconcileRuns() {
    // Server-side defaulting fills fields the operator never sets; if its desired state differed
    // from what the API server stores, every reconcile would write and bump the versions. First
    // the examples just applied settle (the Deployment and ReplicaSet controllers' last status
    // writes): two snapshots 10 s apart the same. A writer on a period would never settle.
    Map<String, String> before = settledVersions();
    // Drift in a Service makes the operator reconcile its Function and repair it, so a reconcile
    // is known to have run; it must write that Service and nothing else. (Not an annotation on
    // the Deployment: for a Deployment that is a new generation, rightly reported as Deploying
    // until the Deployment controller has acted on it.)
    driftAndAwaitRepair("json-echo-pods");
    Map<String, String> repaired = versionsOfTheFunctionsAndTheirObjects();
    assertThat(repaired.keySet()).isEqualTo(before.keySet());

    try {
      await()
          .during(Duration.ofSeconds(30))
          .atMost(Duration.ofSeconds(45))
          .until(() -> versionsOfTheFunctionsAndTheirObjects().equals(repaired));
    } catch (org.awaitility.core.ConditionTimeoutException written) {
      // The assertion below names what was written.
    }
    Map<String, String> after = versionsOfTheFunctionsAndTheirObjects();
    assertThat(moved(repaired, after)).as("objects written while left alone").isEmpty();
    assertThat(moved(before, repaired)).containsExactly("Service/json-echo-pods");
  }

  private static Map<String, String> settledVersions() {
    AtomicReference<Map<String, String>> last =
        new AtomicReference<>(versionsOfTheFunctionsAndTheirObjects());
    await()
        .atMost(Duration.ofMinutes(2))
        .pollDelay(Duration.ofSeconds(10))
        .pollInterval(Duration.ofSeconds(10))
        .until(() -> last.getAndSet(versionsOfTheFunctionsAndTheirObjects()).equals(last.get()));
    return last.get();
  }

  /** The objects whose version differs between the two snapshots. */
  private static List<String> moved(Map<String, String> from, Map<String, String> to) {
    return from.keySet().stream()
        .filter(object -> !from.get(object).equals(to.get(object)))
        .toList();
  }

  /** kind/name → resourceVersion of every Function here, its Deployment and its two Services. */
  private static Map<String, String> versionsOfTheFunctionsAndTheirObjects() {
    Map<String, String> versions = new java.util.TreeMap<>();
    for (Function f : client.resources(Function.class).inNamespace(FUNCTION_NS).list().getItems()) {
      String name = f.getMetadata().getName();
      versions.put("Function/" + name, f.getMetadata().getResourceVersion());
      versions.put(
          "Deployment/" + name,
          client
              .apps()
              .deployments()
              .inNamespace(FUNCTION_NS)
              .withName(name)
              .get()
              .getMetadata()
              .getResourceVersion());
      for (String service : List.of(name, name + "-pods")) {
        versions.put(
            "Service/" + service,
            client
                .services()
                .inNamespace(FUNCTION_NS)
                .withName(service)
                .get()
                .getMetadata()
                .getResourceVersion());
      }
    }
    return versions;
  }

  @Test
  @Order(4)
  void aRequestAtZeroIsAnsweredByAPodTheKubeletStartedAndTheFunctionGoesBackToZero()
      throws Exception {
    // A short idle timeout and window, so the way back to zero is seen within the test.
    patchFunction("hello", "{\"spec\":{\"scale\":{\"idleTimeout\":\"10s\",\"window\":\"6s\"}}}");
    assertThat(podsOf("hello")).as("no pod before the request").isEmpty();

    // The address the Function's status gives, as a client in the cluster would use it: the
    // function's own Service name, which the cluster's DNS answers with the activators' (an
    // ExternalName alias); the activator routes by that name and starts a pod for it.
    String url = function("hello").getStatus().getUrl();
    assertThat(url).isEqualTo("http://hello." + FUNCTION_NS + ".svc.cluster.local");
    HttpResponse<String> answer = throughClusterDns(url + "/?name=Node");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("Hello, Node!\n");
    // The short name, as `curl http://hello.<namespace>` sends it from a pod in any namespace: the
    // pod's DNS search list completes the name to the same Service; the Host stays short.
    HttpResponse<String> shortName =
        throughClusterDns(url + "/?name=Short", "hello." + FUNCTION_NS);
    assertThat(shortName.statusCode()).as(shortName.body()).isEqualTo(200);
    assertThat(shortName.body()).isEqualTo("Hello, Short!\n");
    Pod pod = podsOf("hello").get(0);
    assertThat(pod.getSpec().getNodeName()).isEqualTo("kinetic-node");
    assertThat(pod.getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/kinetic-dev/examples/hello:0.1.0");
    // The activator probes a starting pod itself and may answer through it before the kubelet's
    // next readiness probe has passed: the kubelet's Ready follows within its probe period.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> podsOf("hello").get(0).getStatus().getContainerStatuses().get(0).getReady());
    Function function = function("hello");
    assertThat(function.getStatus().getLastScaleReason()).isNotBlank();

    // The runtime's metrics on the container port the operator names "metrics", where the chart's
    // PodMonitor scrapes them: the two requests above, counted by the pod.
    Pod served = podsOf("hello").get(0);
    int metricsPort =
        served.getSpec().getContainers().get(0).getPorts().stream()
            .filter(p -> "metrics".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        get(served.getStatus().getPodIP() + ":" + metricsPort, "/metrics").body())
                    .containsPattern(
                        "kinetic_requests_total\\{[^}]*function=\"hello\"[^}]*\\} 2\\.0"));

    // idleTimeout 10 s, then the autoscaler's decision; the status is written after the scale.
    await().atMost(Duration.ofMinutes(2)).until(() -> podsOf("hello").isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> function("hello").getStatus().getDesiredReplicas(), desired -> desired == 0);
    // The autoscaler writes the reason after the replicas, and the status follows the Deployment.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(function("hello").getStatus().getLastScaleReason())
                    .as("decided over the Function's window")
                    .contains(" over 6 s at target")
                    .contains("scaling to zero"));
    // The later tests load hello as the examples' default window leaves it.
    patchFunction("hello", "{\"spec\":{\"scale\":{\"window\":null}}}");
  }

  @Test
  @Order(5)
  void aGoServerIsServedFromZeroInAPodOfItsOwnImage() throws Exception {
    // examples/go-hello: no Kinetic runtime, no health path; ready by the TCP default.
    assertThat(podsOf("go-hello")).as("no pod before the request").isEmpty();

    // The first contact is a WebSocket: held while the pod starts, then upgraded through the
    // activator to the pod's /echo, both ways, a message larger than the sockets' buffers too.
    List<String> echoes =
        EchoSocket.echoed(
            URI.create("ws://" + activatorIp() + "/" + FUNCTION_NS + "/go-hello/echo"),
            Duration.ofSeconds(60),
            List.of("from zero", "y".repeat(300_000)));
    assertThat(echoes).containsExactly("from zero", "y".repeat(300_000));

    HttpResponse<String> answer = viaActivator("/" + FUNCTION_NS + "/go-hello/");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body().trim()).isEqualTo("{\"message\":\"Hello from Go\"}");
    assertThat(viaActivator("/" + FUNCTION_NS + "/go-hello/healthz").statusCode())
        .as("the server has no health path: the platform never needed one")
        .isEqualTo(404);
    Pod pod = podsOf("go-hello").get(0);
    assertThat(pod.getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/kinetic-dev/examples/go-hello:0.1.0");
    assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getTcpSocket()).isNotNull();
    // The kubelet's own check passes too: the pod becomes Ready and stays up.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                podsOf("go-hello").stream()
                    .anyMatch(
                        p ->
                            p.getStatus().getConditions().stream()
                                .anyMatch(
                                    c ->
                                        "Ready".equals(c.getType())
                                            && "True".equals(c.getStatus()))));
  }

  @Test
  @Order(6)
  void twoHundredConcurrentRequestsAtZeroAreAllAnsweredWithinTheHardLimit() throws Exception {
    assertThat(podsOf("slow")).as("slow is at zero").isEmpty();

    // 200 requests of 1 s each are 200 pod-seconds of work for at most 20 pods of hard limit 1.
    // This 2-core node starts 20 containers at once slowly (the first ready after 2-12 s, the
    // last after 17-27 s), so the example's 30 s timeout would time the node's container starts,
    // not the platform: the test gives the function 60 s, as a user on such a node would.
    patchFunction("slow", "{\"spec\":{\"timeoutSeconds\":60}}");
    // The operator has seen it (its Deployment says so); the activators watch the same Function.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(FUNCTION_NS)
                    .withName("slow")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .stream()
                    .anyMatch(
                        e ->
                            "KINETIC_TIMEOUT_SECONDS".equals(e.getName())
                                && "60".equals(e.getValue())));
    long start = System.nanoTime();
    Burst burst = burst("/" + FUNCTION_NS + "/slow/", 200);
    System.out.printf(
        "200 requests at zero to slow: %s in %d ms%n",
        burst, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

    // slow has concurrency.hard 1: a pod asked for a second request at once answers 503, so
    // 200 x 200 also says no pod was ever given more than its hard limit.
    assertThat(burst.statuses()).as(burst.toString()).isEqualTo(Map.of(200, 200L));
    assertThat(podsOf("slow")).hasSizeBetween(2, 20);
  }

  @Test
  @Order(7)
  void aMissingImageAndACrashingProcessAreNamedInTheStatus() throws Exception {
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: no-image}
        spec:
          image: kinetic.invalid/missing:1
          scale: {min: 1}
        """);
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: crashing}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          env: [{name: JAVA_TOOL_OPTIONS, value: "-XX:+NoSuchOption"}]
          scale: {min: 1}
        """);

    Condition pull = awaitNotReady("no-image");
    assertThat(pull.getReason()).isEqualTo("ImagePullFailed");
    assertThat(pull.getMessage()).contains("kinetic.invalid/missing:1");
    Condition crash = awaitNotReady("crashing");
    assertThat(crash.getReason()).isEqualTo("CrashLoop");
    assertThat(crash.getMessage()).contains("last exit code 1");
    // Each restart is an Event on the Function too: what a pod that crashed once, and is ready
    // again, leaves for the user to find.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !functionEvents("crashing", "ContainerRestarted").isEmpty());
    assertThat(functionEvents("crashing", "ContainerRestarted").get(0).getMessage())
        .startsWith("container function of pod crashing-")
        .contains("ended with exit code 1 (Error) and was restarted (restart ");
    // Its one pod is there because scale.min says so, before the autoscaler has changed anything.
    assertThat(
            client
                .resources(Function.class)
                .inNamespace(FUNCTION_NS)
                .withName("crashing")
                .get()
                .getStatus()
                .getLastScaleReason())
        .isEqualTo("created with 1 pod: scale.min is 1");
    // The activators read it from the status: a request is answered at once with the reason,
    // not held for the function's timeout.
    for (String function : List.of("no-image", "crashing")) {
      HttpResponse<String> answer =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> viaActivator("/" + FUNCTION_NS + "/" + function + "/"),
                  a -> a.statusCode() == 503);
      assertThat(JSON.readTree(answer.body()).path("error").asText())
          .isEqualTo("function_unavailable");
      assertThat(answer.body())
          .contains(function.equals("no-image") ? "ImagePullFailed" : "CrashLoop");
    }

    deleteFunctions("no-image", "crashing");
  }

  @Test
  @Order(8)
  void anImageInAPrivateRegistryIsPulledWithTheFunctionsPullSecretAndNamedInTheStatusWithout()
      throws Exception {
    NodeRegistry registry = cluster.registry();
    String image =
        cluster.pushToRegistry("ghcr.io/kinetic-dev/examples/hello:0.1.0", "team/hello:1");
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "create",
        "secret",
        "docker-registry",
        "team-registry",
        "--docker-server=" + registry.address(),
        "--docker-username=" + registry.username(),
        "--docker-password=" + registry.password());
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: private-hello}
        spec:
          image: %s
        """
            .formatted(image));

    // Without the secret the registry refuses the kubelet, and the request that woke the
    // function is told so instead of waiting for its timeout.
    HttpResponse<String> refused =
        await()
            .atMost(Duration.ofMinutes(1))
            // 404 until the activators have the new Function.
            .until(
                () -> viaActivator("/" + FUNCTION_NS + "/private-hello/"),
                a -> a.statusCode() != 404);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("ImagePullFailed").contains(image);
    Condition pull = awaitNotReady("private-hello");
    System.out.println("without the pull secret: " + pull.getMessage());
    assertThat(pull.getReason()).isEqualTo("ImagePullFailed");
    assertThat(pull.getMessage()).contains(image).doesNotContain(registry.password());

    patchFunction(
        "private-hello", "{\"spec\":{\"imagePullSecrets\":[{\"name\":\"team-registry\"}]}}");
    HttpResponse<String> answer =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> viaActivator("/" + FUNCTION_NS + "/private-hello/?name=Private"),
                a -> a.statusCode() == 200);
    assertThat(answer.body()).contains("Hello, Private!");
    assertThat(
            client
                .pods()
                .inNamespace(FUNCTION_NS)
                .withLabel("kinetic.dev/function", "private-hello")
                .list()
                .getItems())
        .anySatisfy(
            pod -> {
              assertThat(pod.getSpec().getImagePullSecrets())
                  .extracting(io.fabric8.kubernetes.api.model.LocalObjectReference::getName)
                  .containsExactly("team-registry");
              assertThat(pod.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(image);
            });
    NodeCli.run(
        cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "private-hello");
  }

  @Test
  @Order(9)
  void aConcurrencyCapSetLiveIsEnforcedByTheActivatorsForAFunctionWithoutAHardLimit()
      throws Exception {
    patchLimits("merge", "{\"data\":{\"maxConcurrency\":\"2\"}}");
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: capped}
        spec:
          image: ghcr.io/kinetic-dev/examples/slow:0.1.0
          concurrency: {hard: 0}
          scale: {max: 5, idleTimeout: 10s}
        """);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> function("capped"), f -> f != null && Readiness.ready(f));

    // Each activator learns the cap from its watch of the ConfigMap, within moments.
    await().atMost(Duration.ofSeconds(30)).until(() -> activatorsEnforce("capped", 2));

    Burst burst = burst("/" + FUNCTION_NS + "/capped/?ms=300", 50);

    // The pods are told the cap (their runtime answers 503 above it): no 503 means no pod was
    // ever sent more than 2 at once, by both activators together.
    assertThat(burst.statuses()).as(burst.toString()).isEqualTo(Map.of(200, 50L));
    NodeCli.run(cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "capped");
    patchLimits("json", "[{\"op\":\"remove\",\"path\":\"/data/maxConcurrency\"}]");
  }

  @Test
  @Order(10)
  void anEnvEditRollsTheFunctionWithNoFailedRequestAndADeletedPodFailsAtMostItsInFlight()
      throws Exception {
    // Warm pods and steady traffic, as a latency-sensitive function would have.
    patchFunction("hello", "{\"spec\":{\"scale\":{\"min\":2}}}");
    await().atMost(Duration.ofMinutes(1)).until(() -> readyPodsOf("hello") == 2);
    URI uri = URI.create("http://" + activatorIp() + "/" + FUNCTION_NS + "/hello/?name=load");

    try (SteadyLoad load = SteadyLoad.start(uri, 20, Duration.ofMinutes(2))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() > 100);
      patchFunction("hello", "{\"spec\":{\"env\":[{\"name\":\"GREETING\",\"value\":\"Hi\"}]}}");
      await().atMost(Duration.ofMinutes(2)).until(() -> rolledOut("hello", "Hi"));
      long after = load.total();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.total() > after + 100);
      load.close();
      System.out.println("env edit under load: " + load.outcomes());
      assertThat(load.outcomes()).as("every request during the rollout").containsOnlyKeys("200");
    }

    Pod victim = podsOf("hello").get(0);
    try (SteadyLoad load = SteadyLoad.start(uri, 20, Duration.ofMinutes(2))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() > 100);
      NodeCli.run(
          cluster,
          "kubectl",
          "--namespace",
          FUNCTION_NS,
          "delete",
          "pod",
          victim.getMetadata().getName(),
          "--wait=true");
      long after = load.total();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.total() > after + 500);
      load.close();
      System.out.println("pod deleted under load: " + load.outcomes());
      // Only requests in flight on the deleted pod may fail: at most its hard limit (50).
      assertThat(load.total() - load.ok()).isLessThanOrEqualTo(50);
    }
    // The activators as the chart runs them (routes from the cluster, probes, demand signals)
    // after these minutes of traffic: docs/activator.md#memory measures only static routes.
    printResidentMemory("activator", "/app/activator.jar");
  }

  @Test
  @Order(11)
  void aSigkilledActivatorUnderSteadyTrafficCostsUnderOnePercent() throws Exception {
    URI uri = URI.create("http://" + activatorIp() + "/" + FUNCTION_NS + "/hello/?name=load");
    Pod activator = activatorPods().get(0);
    int restarts = restarts(activator);

    try (SteadyLoad load = SteadyLoad.start(uri, 20, Duration.ofSeconds(60))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> load.ok() > 200);
      cluster.killContainer(activator.getMetadata().getName(), "activator");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  restarts(currentPod(activator)) > restarts
                      && Readiness.ready(currentPod(activator)));
      long after = load.total();
      await().atMost(Duration.ofSeconds(20)).until(() -> load.total() > after + 500);
      load.close();
      System.out.println("activator SIGKILLed under load: " + load.outcomes());
      assertThat((double) load.ok() / load.total()).isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  @Order(12)
  void helmUpgradeWithAChangedValueRollsThePlatformWithNoFailedRequest() throws Exception {
    URI uri = URI.create("http://" + activatorIp() + "/" + FUNCTION_NS + "/hello/?name=load");
    try (SteadyLoad load = SteadyLoad.start(uri, 20, Duration.ofMinutes(5))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> load.ok() > 200);
      NodeCli.run(
          cluster,
          "helm",
          "upgrade",
          "kinetic",
          Repository.root().resolve("helm/kinetic").toString(),
          "--namespace",
          SYSTEM_NS,
          "--reuse-values",
          "--set",
          "activator.queueDepth=2000",
          "--set",
          "activator.accessLog=true",
          "--wait",
          "--timeout",
          "5m");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  activatorPods().stream()
                          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                          .filter(Readiness::ready)
                          .filter(p -> env(p, "KINETIC_ACTIVATOR_QUEUE_DEPTH").equals("2000"))
                          .count()
                      == 2);
      long after = load.total();
      await().atMost(Duration.ofSeconds(20)).until(() -> load.total() > after + 200);
      load.close();
      System.out.println("helm upgrade under load: " + load.outcomes());
      assertThat(load.outcomes()).as("every request during the upgrade").containsOnlyKeys("200");
    }
    // The new activators started beside the old: nothing in their logs at the JDK's error level
    // (an informer's handler once failed there on every start, on a field not yet set).
    for (Pod activator : newActivators()) {
      assertThat(activatorLog(activator))
          .as(activator.getMetadata().getName() + "'s log")
          .doesNotContain("SEVERE");
    }
    // With the access log turned on, their output has a JSON line per request they served,
    // without its query. The load's last requests may all have gone over connections to the old
    // activators, which serve kept connections while they drain: fresh requests go to the new.
    String line =
        "\"function\":\""
            + FUNCTION_NS
            + "/hello\",\"method\":\"GET\",\"path\":\"/"
            + FUNCTION_NS
            + "/hello/\",\"status\":200";
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              viaActivator("/" + FUNCTION_NS + "/hello/?name=logged");
              return newActivators().stream().map(RealNodeIT::activatorLog).toList();
            },
            logs -> logs.stream().anyMatch(log -> log.contains(line)));
    for (Pod activator : newActivators()) {
      assertThat(activatorLog(activator)).doesNotContain("name=load").doesNotContain("name=logged");
    }
  }

  private static List<Pod> newActivators() {
    return activatorPods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static String activatorLog(Pod activator) {
    return client
        .pods()
        .inNamespace(SYSTEM_NS)
        .withName(activator.getMetadata().getName())
        .inContainer("activator")
        .getLog();
  }

  @Test
  @Order(13)
  void aLeaderStoppedByTheKubeletGivesTheLeaseUpAndExitsWithinItsGracePeriod() throws Exception {
    Lease lease = operatorLease();
    String leader = holder(lease);
    Pod pod = client.pods().inNamespace(SYSTEM_NS).withName(leader).get();
    long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    // Every write to the Lease, in order: the release is one, even if the standby takes the
    // lease a moment after it.
    List<String> holders = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .leases()
            .inNamespace(SYSTEM_NS)
            .withName(lease.getMetadata().getName())
            .watch(
                lease.getMetadata().getResourceVersion(),
                new Watcher<Lease>() {
                  @Override
                  public void eventReceived(Action action, Lease l) {
                    holders.add(String.valueOf(l.getSpec().getHolderIdentity()));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      // As in a rollout or a node drain: SIGTERM, then SIGKILL if the grace period runs out.
      client.pods().inNamespace(SYSTEM_NS).withName(leader).delete();
      // A process that hung in its shutdown would be killed at the end of the grace period and
      // only then go (the operator image once did: JOSDK's exit-on-stop-leading, LostLease).
      await()
          .atMost(Duration.ofSeconds(grace - 5))
          .until(() -> client.pods().inNamespace(SYSTEM_NS).withName(leader).get() == null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !holders.isEmpty()
                      && !holders.get(holders.size() - 1).equals(leader)
                      && !holders.get(holders.size() - 1).equals("null"));
    }
    // The leader's renewals, then the release, then the standby.
    assertThat(holders.stream().dropWhile(leader::equals).toList())
        .as(
            "the Lease's holders as its watch saw them (%s): given up before the standby took it",
            holders)
        .startsWith("null");
    // The Deployment replaces the pod: two replicas again, so the next test has a standby.
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                client
                        .pods()
                        .inNamespace(SYSTEM_NS)
                        .withLabel("app.kubernetes.io/name", "kinetic-operator")
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .filter(Readiness::ready)
                        .count()
                    == 2);
  }

  @Test
  @Order(14)
  void whenTheLeaderIsKilledTheStandbyLeadsAndAFunctionAtZeroStillScalesUp() throws Exception {
    Lease lease = operatorLease();
    String leader = lease.getSpec().getHolderIdentity();
    int leaseSeconds = lease.getSpec().getLeaseDurationSeconds();
    assertThat(podsOf("json-echo")).as("json-echo is at zero").isEmpty();

    // The leader's pod goes at once, as with a node's loss: no release of the lease, no restart.
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        SYSTEM_NS,
        "delete",
        "pod",
        leader,
        "--grace-period=0",
        "--force");

    String next =
        await()
            .atMost(Duration.ofSeconds(leaseSeconds + 20L))
            .until(
                () ->
                    client
                        .leases()
                        .inNamespace(SYSTEM_NS)
                        .withName(lease.getMetadata().getName())
                        .get()
                        .getSpec()
                        .getHolderIdentity(),
                holder -> holder != null && !holder.equals(leader));
    assertThat(next).startsWith("kinetic-operator-");
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + activatorIp() + "/" + FUNCTION_NS + "/json-echo/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"failover\"}"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).path("echo").asText()).isEqualTo("failover");
  }

  @Test
  @Order(15)
  void theChartsDispatcherFiresTheCronReportExampleInAPodThroughTheActivator() throws Exception {
    // The example's Trigger as a user applies it, every 5 s instead of every minute.
    String manifest =
        Files.readString(Repository.root().resolve("examples/cron-report/trigger.yaml"))
            .replace("cron: \"* * * * *\"", "cron: \"*/5 * * * * *\"");
    assertThat(manifest).contains("*/5 * * * * *");
    Path file = Files.createTempFile(Path.of("target"), "cron-report-trigger", ".yaml");
    Files.writeString(file, manifest);
    applyFiles(Repository.root().resolve("examples/cron-report/dead-letters.yaml"), file);

    Trigger fired =
        awaitTrigger(
            "cron-report-every-minute", st -> st.getDelivered() != null && st.getDelivered() >= 2);
    System.out.printf(
        "cron-report on the node: delivered %d, failed %d, skipped %d, last %s, next %s%n",
        fired.getStatus().getDelivered(),
        fired.getStatus().getFailed(),
        fired.getStatus().getSkipped(),
        fired.getStatus().getLastFireTime(),
        fired.getStatus().getNextFireTime());
    assertThat(fired.getStatus().getFailed()).isZero();
    assertThat(fired.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getReason()).isEqualTo("Scheduled");
            });
    assertThat(logsOf("cron-report")).contains("report daily-sales for");

    // Suspended with kubectl as a user does: Ready stays True, the reason says Suspended, no next
    // fire, and more than one 5 s period passes with nothing delivered; resumed, it fires again.
    suspend("cron-report-every-minute", true);
    Trigger suspended =
        awaitTrigger(
            "cron-report-every-minute",
            st -> st.getNextFireTime() == null && reasonOf(st).equals("Suspended/True"));
    long deliveredBefore = suspended.getStatus().getDelivered();
    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                client
                    .resources(Trigger.class)
                    .inNamespace(FUNCTION_NS)
                    .withName("cron-report-every-minute")
                    .get()
                    .getStatus()
                    .getDelivered()
                    .equals(deliveredBefore));
    suspend("cron-report-every-minute", false);
    Trigger resumed =
        awaitTrigger(
            "cron-report-every-minute",
            st -> st.getDelivered() > deliveredBefore && reasonOf(st).equals("Scheduled/True"));
    assertThat(resumed.getStatus().getFailed()).isZero();
    String header =
        NodeCli.run(cluster, "kubectl", "--namespace", FUNCTION_NS, "get", "trg")
            .lines()
            .findFirst()
            .orElseThrow();
    assertThat(header.split("\\s+"))
        .containsExactly(
            "NAME", "FUNCTION", "READY", "REASON", "NEXT", "DELIVERED", "FAILED", "LAG", "AGE");
    printDispatcherFigures();
  }

  @Test
  @Order(16)
  void anEventAFunctionCannotTakeReachesTheExamplesDeadLetterFunctionInAPod() throws Exception {
    // A Function whose image cannot be pulled: the activator answers its event 503 with the
    // reason, the Trigger gives up at once (no retries), and the dead letter wakes
    // cron-report-dead-letters (examples/cron-report/dead-letters.yaml, applied by @Order 15).
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: broken-report}
        spec:
          image: kinetic.invalid/report:1
        ---
        apiVersion: kinetic.dev/v1alpha1
        kind: Trigger
        metadata: {name: broken-report}
        spec:
          function: broken-report
          schedule: {cron: "*/5 * * * * *"}
          delivery: {retries: 0, deadLetterFunction: cron-report-dead-letters}
        """);
    Trigger dead =
        awaitTrigger(
            "broken-report", st -> st.getDeadLettered() != null && st.getDeadLettered() >= 1);
    assertThat(dead.getStatus().getFailed()).isGreaterThanOrEqualTo(1);
    assertThat(dead.getStatus().getDelivered()).isZero();
    // The last failure stays in the status, which outlives the Events that say so.
    System.out.println("lastFailure: " + dead.getStatus().getLastFailure().getMessage());
    assertThat(dead.getStatus().getLastFailure().getMessage())
        .contains(" to broken-report: ")
        .contains("answered 503");
    assertThat(java.time.Instant.parse(dead.getStatus().getLastFailure().getTime()))
        .isBefore(java.time.Instant.now().plusSeconds(5));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(logsOf("cron-report-dead-letters"))
                    .containsPattern(
                        "dead letter \\S+ for \\S+ from broken-report: answered 503 on attempt 1"
                            + " of 1"));
    System.out.printf(
        "dead letters on the node: failed %d, dead-lettered %d%n",
        dead.getStatus().getFailed(), dead.getStatus().getDeadLettered());
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "delete",
        "trigger,function",
        "broken-report");
  }

  /** {@code kubectl apply} of these files in the functions' namespace, in this order. */
  private static void applyFiles(Path... files) throws Exception {
    List<String> args = new ArrayList<>(List.of("--namespace", FUNCTION_NS, "apply"));
    for (Path f : files) {
      args.add("-f");
      args.add(f.toString());
    }
    NodeCli.run(cluster, "kubectl", args.toArray(String[]::new));
  }

  private static void suspend(String trigger, boolean suspend) throws Exception {
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "patch",
        "trigger",
        trigger,
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"suspend\":" + suspend + "}}");
  }

  /** The Ready condition as reason/status, e.g. {@code Suspended/True}. */
  private static String reasonOf(dev.kinetic.api.TriggerStatus status) {
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getReason() + "/" + c.getStatus())
        .findFirst()
        .orElse("");
  }

  @Test
  @Order(17)
  void theKafkaOrdersExampleWakesInAPodForATopicAndEveryRecordIsDeliveredOrDeadLettered(
      @org.junit.jupiter.api.io.TempDir Path brokerDir) throws Exception {
    // A broker on this machine, listening on the node's address so that the dispatcher's pods
    // reach it as they would reach a Kafka cluster outside the node.
    String nodeIp =
        client.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
            .filter(a -> a.getType().equals("InternalIP"))
            .findFirst()
            .orElseThrow()
            .getAddress();
    try (KafkaBroker broker = KafkaBroker.start(brokerDir, nodeIp);
        KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      topics.topic("orders", 3);
      topics.topic("orders-dead", 1);
      int orders = 300;
      for (int i = 0; i < orders; i++) {
        topics.send(
            "orders",
            "customer-" + (i % 7),
            ("{\"order\":\"O-" + i + "\",\"amount\":" + i + "}").getBytes());
      }
      topics.send("orders", "customer-1", "not an order".getBytes());
      String trigger =
          Files.readString(Repository.root().resolve("examples/kafka-orders/trigger.yaml"))
              .replace("my-cluster-kafka-bootstrap.kafka:9092", broker.bootstrapServers());
      assertThat(trigger).contains(broker.bootstrapServers());
      Path file = Files.createTempFile(Path.of("target"), "kafka-orders-trigger", ".yaml");
      Files.writeString(file, trigger);
      assertThat(podsOf("kafka-orders")).as("kafka-orders is at zero").isEmpty();
      applyFiles(Repository.root().resolve("examples/kafka-orders/function.yaml"), file);

      Trigger done =
          awaitTrigger(
              "orders",
              st ->
                  st.getDelivered() != null
                      && st.getDelivered() >= orders
                      && Long.valueOf(1).equals(st.getDeadLettered())
                      && Long.valueOf(0).equals(st.getLag()));
      System.out.printf(
          "kafka-orders on the node: delivered %d, dead-lettered %d, lag %d, pods %d%n",
          done.getStatus().getDelivered(),
          done.getStatus().getDeadLettered(),
          done.getStatus().getLag(),
          podsOf("kafka-orders").size());
      assertThat(done.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Consuming"));
      String logs = logsOf("kafka-orders");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("order (O-\\d+) of").matcher(logs);
      java.util.Set<String> accepted = new java.util.HashSet<>();
      while (m.find()) {
        accepted.add(m.group(1));
      }
      assertThat(accepted).as("every order accepted in a pod").hasSize(orders);
      var dead = topics.readAll("orders-dead", 1);
      assertThat(dead).singleElement();
      assertThat(KafkaTopics.header(dead.get(0), "kinetic-error")).contains("answered 400");
      // And in the Trigger's Events, which a schedule's failures already had: a count (one Event
      // a minute however many records fail) and the last one's reason.
      String uid = done.getMetadata().getUid();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().inNamespace(FUNCTION_NS).list().getItems())
                      .filteredOn(e -> uid.equals(e.getInvolvedObject().getUid()))
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("DeliveryFailed");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getMessage())
                                .startsWith("1 record to function kafka-orders given up since ")
                                .contains("(1 dead-lettered); the last: event ")
                                .contains("answered 400");
                          }));
    }
  }

  /** The Trigger in the functions' namespace, once its status satisfies {@code done}. */
  private static Trigger awaitTrigger(
      String name, java.util.function.Predicate<dev.kinetic.api.TriggerStatus> done) {
    return await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> client.resources(Trigger.class).inNamespace(FUNCTION_NS).withName(name).get(),
            t -> t.getStatus() != null && done.test(t.getStatus()));
  }

  /** The logs of every pod of a function, one after the other. */
  private static String logsOf(String function) {
    return podsOf(function).stream()
        .map(
            p ->
                client.pods().inNamespace(FUNCTION_NS).withName(p.getMetadata().getName()).getLog())
        .collect(Collectors.joining("\n"));
  }

  /** For the record: each dispatcher's start time (its log) and resident memory (its process). */
  @Test
  @Order(18)
  void aQuotaThatStopsSomePodsLeavesTheOthersServingAndTheStatusSaysWhy() throws Exception {
    // A namespace a platform team gave room for two pods; the function asks for up to four.
    NodeCli.run(cluster, "kubectl", "create", "namespace", "team-quota");
    NodeCli.apply(
        cluster,
        "team-quota",
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: two-pods}
        spec: {hard: {pods: "2"}}
        """);
    NodeCli.apply(
        cluster,
        "team-quota",
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: capped}
        spec:
          image: ghcr.io/kinetic-dev/examples/slow:0.1.0
          timeoutSeconds: 60
          concurrency: {hard: 2}
          scale: {max: 6}
        """);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> viaActivator("/team-quota/capped/?ms=0").statusCode() == 200);

    // Eight at once want four pods of two slots (one per activator); the quota lets two be
    // created. Those two serve all eight, in turn: the activators must not refuse them because the
    // Deployment reports ReplicaFailure.
    Burst burst = burst("/team-quota/capped/?ms=3000", 8);

    assertThat(burst.statuses()).as(burst.toString()).isEqualTo(Map.of(200, 8L));
    Condition ready =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> readyCondition("team-quota", "capped"),
                c -> c != null && "PodsLimited".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).contains("no more can start").contains("exceeded quota");
    NodeCli.run(cluster, "kubectl", "delete", "namespace", "team-quota", "--wait=false");
  }

  @Test
  @Order(19)
  void requestsWaitingForAFunctionThatIsDeletedAre404AtOnce() throws Exception {
    // Its pods never turn ready (the probe's path answers 405), so requests wait for one.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: never-ready}
        spec:
          image: ghcr.io/kinetic-dev/examples/json-echo:0.1.0
          probe: {path: /never-ready}
          timeoutSeconds: 300
          concurrency: {hard: 3}
          scale: {max: 1}
        """);
    // Sent before an activator has the Function, a request is 404 for another reason.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> activatorsEnforce("never-ready", 3));
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(
          HTTP.sendAsync(
              to(activatorIp(), "/" + FUNCTION_NS + "/never-ready/").build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofMinutes(1)).until(() -> !podsOf("never-ready").isEmpty());
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    long deleted = System.nanoTime();
    NodeCli.run(
        cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "never-ready");

    for (CompletableFuture<HttpResponse<String>> answer : waiting) {
      HttpResponse<String> reply = answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(404);
      assertThat(reply.body()).contains("was deleted");
    }
    System.out.printf(
        "5 requests waiting for a deleted function: answered 404 within %d ms of the delete%n",
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleted));
  }

  @Test
  @Order(20)
  void aRateTargetScalesAFastFunctionByItsRequestsPerSecond() throws Exception {
    // Two clients one request after another keep hello at about 2 concurrent, one pod at its
    // target of 35, and send it hundreds of requests a second: at 20 a pod (14 at 70%), scale.max
    // (5) pods. @Order 10 left it at scale.min 2: more than 2 ready pods is the rate's doing.
    patchFunction("hello", "{\"spec\":{\"scale\":{\"targetRequestsPerSecond\":20}}}");
    URI uri = URI.create("http://" + activatorIp() + "/" + FUNCTION_NS + "/hello/?name=rate");
    try (SteadyLoad load = SteadyLoad.start(uri, 2, Duration.ofMinutes(3))) {
      await().atMost(Duration.ofMinutes(2)).until(() -> readyPodsOf("hello") >= 3);
      load.close();
      System.out.println("hello at 2 clients with a rate target: " + load.outcomes());
      assertThat(load.outcomes()).containsOnlyKeys("200");
    }
    // The reconciler reports the autoscaler's reason from the Deployment a moment later.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(Function.class)
                            .inNamespace(FUNCTION_NS)
                            .withName("hello")
                            .get()
                            .getStatus()
                            .getLastScaleReason())
                    .contains("requests/s"));
    System.out.println(
        "hello scaled by its rate: "
            + client
                .resources(Function.class)
                .inNamespace(FUNCTION_NS)
                .withName("hello")
                .get()
                .getStatus()
                .getLastScaleReason());
    assertThat(
            client.v1().events().inNamespace(FUNCTION_NS).list().getItems().stream()
                .filter(e -> "hello".equals(e.getInvolvedObject().getName()))
                .map(io.fabric8.kubernetes.api.model.Event::getMessage))
        .anyMatch(m -> m.contains("requests/s"));
    patchFunction("hello", "{\"spec\":{\"scale\":{\"targetRequestsPerSecond\":null}}}");
  }

  @Test
  @Order(21)
  void aPodItsNodeEvictsIsNamedInAWarningEventOnTheFunctionOnce() throws Exception {
    // A pod's log and /tmp count against its ephemeral-storage limit: the JVM's 32 KiB of
    // perf data in /tmp, then a log line for every request. At 64 KiB, some dozens of requests put
    // the pod over, and the kubelet evicts it as it would a pod filling /tmp or on a node short of
    // disk.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: small-disk}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          resources: {limits: {memory: 128Mi, ephemeral-storage: 64Ki}}
          scale: {min: 1, max: 1}
        """);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (int i = 0; i < 20; i++) {
                try {
                  viaActivator("/" + FUNCTION_NS + "/small-disk/?name=" + "x".repeat(200));
                } catch (IOException e) {
                  // the pod being evicted under the request: what the Event explains
                }
              }
              return !functionEvents("small-disk", "PodEvicted").isEmpty();
            });
    io.fabric8.kubernetes.api.model.Event first = functionEvents("small-disk", "PodEvicted").get(0);
    System.out.println("PodEvicted: " + first.getMessage());
    assertThat(first.getType()).isEqualTo("Warning");
    assertThat(first.getMessage())
        .startsWith("pod small-disk-")
        .contains("was evicted by node kinetic-node: ", "ephemeral");
    // Every evicted pod has its Event, and one only, however often the operator reconciles.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> evicted =
                  client.pods().inNamespace(FUNCTION_NS).list().getItems().stream()
                      .filter(p -> "Evicted".equals(p.getStatus().getReason()))
                      .filter(p -> p.getMetadata().getName().startsWith("small-disk-"))
                      .map(p -> p.getMetadata().getName())
                      .toList();
              assertThat(
                      functionEvents("small-disk", "PodEvicted").stream()
                          .map(e -> e.getMessage().split(" ")[1])
                          .toList())
                  .containsExactlyInAnyOrderElementsOf(evicted);
            });
    NodeCli.run(cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "small-disk");
  }

  @Test
  @Order(22)
  void tmpHoldsWhatTheEphemeralStorageLimitAllowsAndAPodWithoutOneIsEvictedForFillingIt()
      throws Exception {
    // examples/scratch (applied by @Order 2) sets ephemeral-storage: 1Gi; scratch-default is the
    // same image with no such limit, so its /tmp holds 64 MiB.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: scratch-default}
        spec:
          image: ghcr.io/kinetic-dev/examples/scratch:0.1.0
          resources: {limits: {memory: 128Mi}}
        """);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> viaActivator("/" + FUNCTION_NS + "/scratch-default/").statusCode() == 200);
    HttpResponse<String> large = viaActivator("/" + FUNCTION_NS + "/scratch/?mib=100");
    assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
    assertThat(large.body()).contains("\"keptBytes\":104857600");
    String keeper = podsOf("scratch").get(0).getMetadata().getName();
    // Written after scratch's file: the kubelet's pass that finds this one over its limit has
    // measured scratch's as well.
    HttpResponse<String> small = viaActivator("/" + FUNCTION_NS + "/scratch-default/?mib=100");
    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);

    io.fabric8.kubernetes.api.model.Event evicted =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> functionEvents("scratch-default", "PodEvicted"), e -> !e.isEmpty())
            .get(0);
    System.out.println("PodEvicted: " + evicted.getMessage());
    assertThat(evicted.getMessage()).contains("Usage of EmptyDir volume \"tmp\" exceeds the limit");
    assertThat(functionEvents("scratch", "PodEvicted")).isEmpty();
    assertThat(podsOf("scratch"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getMetadata().getName()).isEqualTo(keeper);
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            });
    assertThat(viaActivator("/" + FUNCTION_NS + "/scratch/").body())
        .as("the same pod still keeps its file")
        .contains("\"keptBytes\":104857600");
    NodeCli.run(
        cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "scratch-default");
  }

  @Test
  @Order(23)
  void volumesAreReadFromTheirFilesFollowARotatedSecretAndAMissingOneIsNamedUntilItExists()
      throws Exception {
    // examples/secrets reads its token from the file API_TOKEN_FILE names: here a Secret mounted
    // as a volume, which does not exist yet. The kubelet leaves the pod in ContainerCreating and
    // says why only in a FailedMount Event; the Function must say it.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: token-file}
        spec:
          image: ghcr.io/kinetic-dev/examples/secrets:0.1.0
          env: [{name: API_TOKEN_FILE, value: /var/run/secrets/api/token}]
          volumes:
            - {name: api, mountPath: /var/run/secrets/api, secret: {secretName: api-token-file}}
          scale: {min: 1}
        """);
    // The kubelet's first try may fail on its own Secret cache ("failed to sync secret cache: timed
    // out waiting for the condition", seen once on a loaded node) before it finds the Secret
    // missing; the status follows the kubelet's latest word, which then names it.
    Condition mount =
        awaitNotReady("token-file", c -> c.getMessage().contains("\"api-token-file\" not found"));
    System.out.println("VolumeMountFailed: " + mount.getMessage());
    assertThat(mount.getReason()).isEqualTo("VolumeMountFailed");
    assertThat(mount.getMessage())
        .startsWith("pod token-file-")
        .contains("secret \"api-token-file\" not found");
    assertUnavailable("token-file", "VolumeMountFailed");

    // Created, the Secret is mounted by the kubelet's next try; nothing else is needed.
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "create",
        "secret",
        "generic",
        "api-token-file",
        "--from-literal=token=node-file-token");
    awaitReady("token-file", Duration.ofMinutes(3));
    assertThat(withBearer("token-file", "node-file-token")).isEqualTo(200);
    assertThat(viaActivator("/" + FUNCTION_NS + "/token-file/").statusCode()).isEqualTo(401);

    // Rotated: the kubelet updates the file in the running pod, and the function, which reads it
    // on each request, takes the new token with no restart.
    Pod running = podsOf("token-file").get(0);
    client
        .secrets()
        .inNamespace(FUNCTION_NS)
        .withName("api-token-file")
        .edit(
            secret -> {
              secret.setData(null);
              secret.setStringData(Map.of("token", "rotated-token"));
              return secret;
            });
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> withBearer("token-file", "rotated-token") == 200);
    assertThat(withBearer("token-file", "node-file-token")).isEqualTo(401);
    assertThat(podsOf("token-file"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getMetadata().getName()).isEqualTo(running.getMetadata().getName());
              assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
            });

    // A ConfigMap mounts the same way.
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "create",
        "configmap",
        "api-token-config",
        "--from-literal=token=config-token");
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: token-config}
        spec:
          image: ghcr.io/kinetic-dev/examples/secrets:0.1.0
          env: [{name: API_TOKEN_FILE, value: /etc/api/current}]
          volumes:
            - name: api
              mountPath: /etc/api
              configMap:
                name: api-token-config
                items: [{key: token, path: current}]
        """);
    await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> withBearer("token-config", "config-token") == 200);
    deleteFunctions("token-file", "token-config");
    NodeCli.run(
        cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "secret", "api-token-file");
    NodeCli.run(
        cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "configmap", "api-token-config");
  }

  @Test
  @Order(24)
  void aFunctionRunsOnlyWhereItsNodeSelectorSaysAndThePlatformsPlacementTakesItOntoATaintedNode()
      throws Exception {
    // Its own nodeSelector, which the node does not match yet: the scheduler's words on the
    // Function, and requests answered 503 at once rather than at their timeout.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: pinned}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          nodeSelector: {kinetic.dev/pool: functions}
          scale: {min: 1}
        """);
    try {
      Condition unschedulable = awaitNotReady("pinned");
      System.out.println("Unschedulable: " + unschedulable.getMessage());
      assertThat(unschedulable.getReason()).isEqualTo("Unschedulable");
      assertThat(unschedulable.getMessage()).contains("node affinity/selector");
      assertUnavailable("pinned", "Unschedulable");

      // A cluster autoscaler adds a node for the pod (simulated: this cluster has none, so the
      // test writes the Event the cluster autoscaler writes on the pod). Requests now wait for it.
      Pod pending = podsOf("pinned").get(0);
      NodeCli.apply(
          cluster,
          FUNCTION_NS,
          """
          apiVersion: v1
          kind: Event
          metadata: {name: %s.scale-up}
          involvedObject: {kind: Pod, namespace: %s, name: %s, uid: %s}
          reason: TriggeredScaleUp
          message: "pod triggered scale-up: [{functions-pool 1->2 (max: 10)}]"
          type: Normal
          source: {component: cluster-autoscaler}
          firstTimestamp: "%s"
          lastTimestamp: "%s"
          """
              .formatted(
                  pending.getMetadata().getName(),
                  FUNCTION_NS,
                  pending.getMetadata().getName(),
                  pending.getMetadata().getUid(),
                  java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                  java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
      Condition waiting =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> condition("pinned", "Ready"), c -> "WaitingForNode".equals(c.getReason()));
      assertThat(waiting.getStatus()).isEqualTo("Unknown");
      assertThat(waiting.getMessage()).contains("functions-pool 1->2");
      // Once the activators have seen it too, a request is held rather than answered 503.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  HTTP.send(
                      to(activatorIp(), "/" + FUNCTION_NS + "/pinned/")
                          .timeout(Duration.ofSeconds(2))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
                  return false; // answered at once: still 503 Unschedulable
                } catch (java.net.http.HttpTimeoutException heldForTheNode) {
                  return true;
                }
              });
      java.util.concurrent.CompletableFuture<HttpResponse<String>> held =
          HTTP.sendAsync(
              to(activatorIp(), "/" + FUNCTION_NS + "/pinned/?name=Pinned").build(),
              HttpResponse.BodyHandlers.ofString());

      // The node comes (here: the node gets the label): the pending pod is scheduled, with nothing
      // else changed, and the request that waited for it is answered.
      node("label", "kinetic.dev/pool=functions");
      HttpResponse<String> served = held.get(2, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("Hello, Pinned!\n");
      awaitReady("pinned", Duration.ofMinutes(2));

      // An admin dedicates the node to functions with a taint, and gives every function the
      // toleration, the label and a PriorityClass in the platform's placement; a Function with no
      // placement of its own starts on it from zero, at that priority.
      node("taint", "kinetic.dev/dedicated=functions:NoSchedule");
      NodeCli.apply(
          cluster,
          FUNCTION_NS,
          """
          apiVersion: scheduling.k8s.io/v1
          kind: PriorityClass
          metadata: {name: kinetic-functions}
          value: 1000
          """);
      patchLimits(
          "merge",
          JSON.writeValueAsString(
              Map.of(
                  "data",
                  Map.of(
                      "functionNodeSelector",
                      "{kinetic.dev/pool: functions}",
                      "functionTolerations",
                      "[{key: kinetic.dev/dedicated, value: functions, effect: NoSchedule}]",
                      "functionPriorityClassName",
                      "kinetic-functions"))));
      NodeCli.apply(
          cluster,
          FUNCTION_NS,
          """
          apiVersion: kinetic.dev/v1alpha1
          kind: Function
          metadata: {name: pooled}
          spec:
            image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          """);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Optional.ofNullable(
                          client
                              .apps()
                              .deployments()
                              .inNamespace(FUNCTION_NS)
                              .withName("pooled")
                              .get())
                      .map(d -> d.getSpec().getTemplate().getSpec().getTolerations())
                      .orElse(List.of())
                      .size(),
              n -> n == 1);
      HttpResponse<String> pooled = viaActivator("/" + FUNCTION_NS + "/pooled/?name=Pool");
      assertThat(pooled.statusCode()).as(pooled.body()).isEqualTo(200);
      assertThat(pooled.body()).isEqualTo("Hello, Pool!\n");
      Pod pod = podsOf("pooled").get(0);
      assertThat(pod.getSpec().getNodeName()).isEqualTo("kinetic-node");
      assertThat(pod.getSpec().getNodeSelector()).containsEntry("kinetic.dev/pool", "functions");
      assertThat(pod.getSpec().getTolerations())
          .anySatisfy(
              t -> {
                assertThat(t.getKey()).isEqualTo("kinetic.dev/dedicated");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
              });
      assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("kinetic-functions");
      assertThat(pod.getSpec().getPriority()).as("resolved by the API server").isEqualTo(1000);
    } finally {
      // The taint first: without it, the functions rolling back to no placement can be scheduled.
      node("taint", "kinetic.dev/dedicated=functions:NoSchedule-");
      patchLimits(
          "merge",
          "{\"data\":{\"functionNodeSelector\":null,\"functionTolerations\":null,"
              + "\"functionPriorityClassName\":null}}");
      deleteFunctions("pinned", "pooled");
      NodeCli.run(
          cluster, "kubectl", "delete", "priorityclass", "kinetic-functions", "--ignore-not-found");
      node("label", "kinetic.dev/pool-");
    }
  }

  @Test
  @Order(25)
  void aFunctionOverItsMemoryLimitIsNamedOutOfMemoryWithWhatToDoAndServesOnceTheLimitIsRaised()
      throws Exception {
    // 16 MiB is less than the JVM needs to start: the kernel kills it (OOMKilled) at each start.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: starved}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          resources: {limits: {memory: 16Mi}}
          scale: {min: 1}
        """);
    try {
      Condition crashing = awaitNotReady("starved");
      System.out.println("out of memory: " + crashing.getReason() + ": " + crashing.getMessage());
      assertThat(crashing.getReason()).isEqualTo("CrashLoop");
      assertThat(crashing.getMessage()).contains("(OOMKilled)", "raise resources.limits.memory");
      assertUnavailable("starved", "OOMKilled");
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(functionEvents("starved", "ContainerRestarted"))
                      .anySatisfy(
                          e ->
                              assertThat(e.getMessage())
                                  .contains(
                                      "exit code 137 (OOMKilled)", "raise resources.limits")));

      // Raised, the Function rolls to pods that start and serve.
      patchFunction("starved", "{\"spec\":{\"resources\":{\"limits\":{\"memory\":\"128Mi\"}}}}");
      awaitReady("starved", Duration.ofMinutes(2));
      HttpResponse<String> served = viaActivator("/" + FUNCTION_NS + "/starved/?name=Fed");
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("Hello, Fed!\n");
    } finally {
      deleteFunctions("starved");
    }
  }

  @Test
  @Order(26)
  void aFunctionAnswersAtItsOwnDomainAndALaterClaimInAnotherNamespaceIsToldWhoHoldsIt()
      throws Exception {
    // examples/json-echo (applied by @Order 2) claims echo.example.com.
    HttpResponse<String> echoed = echoAtItsDomain("from its domain");
    assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
    assertThat(echoed.body()).contains("\"echo\":\"from its domain\"");
    assertThat(condition("json-echo", "DomainsReady"))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("True", "Claimed", "answers at http://echo.example.com");
    assertThat(function("json-echo").getStatus().getDomains()).containsExactly("echo.example.com");

    // The same name claimed later from another namespace stays where it is.
    NodeCli.run(cluster, "kubectl", "create", "namespace", "kinetic-domains");
    try {
      NodeCli.apply(
          cluster,
          "kinetic-domains",
          """
          apiVersion: kinetic.dev/v1alpha1
          kind: Function
          metadata: {name: impostor}
          spec:
            image: ghcr.io/kinetic-dev/examples/hello:0.1.0
            domains: [echo.example.com]
          """);
      Condition taken =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      Optional.ofNullable(
                              client
                                  .resources(Function.class)
                                  .inNamespace("kinetic-domains")
                                  .withName("impostor")
                                  .get())
                          .map(Function::getStatus)
                          .flatMap(st -> findCondition(st.getConditions(), "DomainsReady"))
                          .orElse(null),
                  c -> c != null && "DomainTaken".equals(c.getReason()));
      assertThat(taken.getMessage())
          .startsWith("echo.example.com is held by " + FUNCTION_NS + "/json-echo");
      HttpResponse<String> still = echoAtItsDomain("still");
      assertThat(still.body()).as("still json-echo's").contains("\"echo\":\"still\"");

      // The admin allows the functions' namespace other names only: the name is no longer held
      // or routed, and the condition says what the namespace may hold; allowed again, it is back.
      patchLimits(
          "merge",
          "{\"data\":{\"functionDomains\":\"{\\\""
              + FUNCTION_NS
              + "\\\": [\\\"*.other.org\\\"]}\"}}");
      Condition refused =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> condition("json-echo", "DomainsReady"),
                  c -> "DomainNotAllowed".equals(c.getReason()));
      assertThat(refused.getMessage())
          .startsWith(
              "echo.example.com is not among the domains the platform allows in namespace "
                  + FUNCTION_NS
                  + " (*.other.org)");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> echoAtItsDomain("refused").statusCode(), status -> status == 404);
      patchLimits("merge", "{\"data\":{\"functionDomains\":null}}");
      // Claimed again, and Ready only once every activator routes the name to it (written in the
      // same status as the claim, Ready waits for the activators' next answer): then the first
      // request at the name is answered by the function.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> function("json-echo"),
              f ->
                  findCondition(f.getStatus().getConditions(), "DomainsReady")
                          .map(c -> "Claimed".equals(c.getReason()))
                          .orElse(false)
                      && Readiness.ready(f));
      HttpResponse<String> allowed = echoAtItsDomain("allowed again");
      assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
      assertThat(condition("json-echo", "RoutesReady").getMessage())
          .startsWith("every activator asked (2) routes generation ");
    } finally {
      patchLimits("merge", "{\"data\":{\"functionDomains\":null}}");
      NodeCli.run(cluster, "kubectl", "delete", "namespace", "kinetic-domains", "--wait=false");
    }
  }

  @Test
  @Order(27)
  void aClusterLocalFunctionAnswersInsideTheClusterAndIsNoFunctionOnThePublicPort()
      throws Exception {
    // The examples only Triggers call are ClusterLocal: the dispatcher reaches them inside the
    // cluster, as @Order 15 and 17 saw.
    assertThat(function("cron-report").getSpec().getVisibility())
        .isEqualTo(Visibility.CLUSTER_LOCAL);
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: internal}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          visibility: ClusterLocal
        """);
    try {
      awaitReady("internal", Duration.ofMinutes(1));
      assertThat(function("internal").getStatus().getVisibility())
          .as("kubectl get fn -o wide shows it")
          .isEqualTo(Visibility.CLUSTER_LOCAL);
      // Inside: its Service's name, resolved by the cluster's DNS (once CoreDNS has seen the
      // Service) to the activators' port 80.
      HttpResponse<String> inside =
          await()
              .atMost(Duration.ofMinutes(2))
              .ignoreExceptions()
              .until(
                  () ->
                      throughClusterDns(
                          "http://internal." + FUNCTION_NS + ".svc.cluster.local/?name=Inside"),
                  r -> r.statusCode() == 200);
      assertThat(inside.body()).isEqualTo("Hello, Inside!\n");

      // Outside: the activators' public port, which the chart's Ingress and HTTPRoute reach. By
      // path or by any Host, the function does not exist there, as a name no Function has.
      String outside = activatorIp() + ":8082";
      for (HttpRequest.Builder request :
          List.of(
              to(outside, "/" + FUNCTION_NS + "/internal/?name=Outside"),
              to(outside, "/?name=Outside")
                  .header("Host", "internal." + FUNCTION_NS + ".svc.cluster.local"))) {
        HttpResponse<String> refused =
            HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
        assertThat(refused.body())
            .contains("\"error\":\"no_function\"")
            .contains("no function " + FUNCTION_NS + "/internal");
      }
      HttpResponse<String> publicOne = get(outside, "/" + FUNCTION_NS + "/hello/?name=Public");
      assertThat(publicOne.statusCode()).as("a Public function there").isEqualTo(200);

      // Made Public, it answers on the public port too, with nothing restarted.
      patchFunction("internal", "{\"spec\":{\"visibility\":\"Public\"}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> get(outside, "/" + FUNCTION_NS + "/internal/?name=Public").body(),
              body -> body.equals("Hello, Public!\n"));

      // The admin's default keeps a Function that says nothing (examples/hello) inside; one that
      // says Public stays Public. Unset again, hello answers outside again.
      patchLimits("merge", "{\"data\":{\"functionVisibility\":\"ClusterLocal\"}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> get(outside, "/" + FUNCTION_NS + "/hello/?name=Default").statusCode(),
              status -> status == 404);
      assertThat(get(outside, "/" + FUNCTION_NS + "/internal/?name=Said").statusCode())
          .isEqualTo(200);
      // The status says why: the operator reports what the activators apply.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> function("hello").getStatus().getVisibility(),
              v -> v == Visibility.CLUSTER_LOCAL);
      patchLimits("merge", "{\"data\":{\"functionVisibility\":null}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> get(outside, "/" + FUNCTION_NS + "/hello/?name=Default").statusCode(),
              status -> status == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> function("hello").getStatus().getVisibility(), v -> v == Visibility.PUBLIC);
    } finally {
      patchLimits("merge", "{\"data\":{\"functionVisibility\":null}}");
      NodeCli.run(cluster, "kubectl", "--namespace", FUNCTION_NS, "delete", "function", "internal");
    }
  }

  @Test
  @Order(28)
  void theSchedulerSpreadsAndPlacesThePodsAsTheFunctionsConstraintsAndAffinitySay()
      throws Exception {
    // A spread by node without a selector (the operator gives it the Function's pods) and an
    // affinity the node meets: both pods run, on the node's one hostname domain.
    NodeCli.apply(
        cluster,
        FUNCTION_NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: spread}
        spec:
          image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          scale: {min: 2}
          topologySpreadConstraints:
            - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 10
                  podAffinityTerm:
                    topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {kinetic.dev/function: spread}}
        """);
    try {
      awaitReady("spread", Duration.ofMinutes(2));
      await().atMost(Duration.ofMinutes(2)).until(() -> readyPodsOf("spread") == 2);
      for (Pod pod : podsOf("spread")) {
        assertThat(pod.getSpec().getTopologySpreadConstraints())
            .singleElement()
            .satisfies(
                c ->
                    assertThat(c.getLabelSelector().getMatchLabels())
                        .isEqualTo(Map.of(Function.FUNCTION_LABEL, "spread")));
        assertThat(pod.getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
      }
      // What the operator writes is what the API server stores: a reconcile (made to run by drift
      // in a Service) writes the Deployment no new generation.
      long generation = deploymentGeneration("spread");
      driftAndAwaitRepair("spread-pods");
      assertThat(deploymentGeneration("spread")).isEqualTo(generation);

      // An affinity no node meets: the new pod of the rollout waits, the scheduler's words are in
      // the status, and the old pods go on serving (a rollout never takes capacity away).
      patchFunction(
          "spread",
          """
          {"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms":[{"matchExpressions":
              [{"key":"kinetic.dev/zone","operator":"In","values":["nowhere"]}]}]}}}}}
          """);
      Condition limited =
          await()
              .atMost(Duration.ofMinutes(2))
              .until(() -> condition("spread", "Ready"), c -> "PodsLimited".equals(c.getReason()));
      System.out.println("Affinity no node meets: " + limited.getMessage());
      assertThat(limited.getStatus()).isEqualTo("True");
      assertThat(limited.getMessage()).contains("node affinity");
      HttpResponse<String> served = viaActivator("/" + FUNCTION_NS + "/spread/?name=Spread");
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("Hello, Spread!\n");
    } finally {
      deleteFunctions("spread");
    }
  }

  /**
   * Points a function's Service at other pods, as a stray edit would, and waits for the operator to
   * repair it: a way to know a reconcile of that Function has run.
   */
  private static void driftAndAwaitRepair(String service) {
    Map<String, String> selector =
        client.services().inNamespace(FUNCTION_NS).withName(service).get().getSpec().getSelector();
    client
        .services()
        .inNamespace(FUNCTION_NS)
        .withName(service)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"selector\":{\"" + Function.FUNCTION_LABEL + "\":\"another\"}}}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .services()
                    .inNamespace(FUNCTION_NS)
                    .withName(service)
                    .get()
                    .getSpec()
                    .getSelector(),
            selector::equals);
  }

  @Test
  @Order(29)
  void anEmptyDirIsWrittenAndKeptByItsPodAndOverItsSizeLimitThePodIsEvicted() throws Exception {
    // examples/scratch/cache.yaml: the scratch image writing to an emptyDir of 256Mi at
    // /var/cache/scratch, beside the read-only root filesystem.
    applyFiles(Repository.root().resolve("examples/scratch/cache.yaml"));
    try {
      // As a user waits for it. Ready means every activator routes it: CI run 25 sent its first
      // request 0.3 s after kubectl apply and was answered 404 no_function; now no request is
      // sent before Ready, and the first is sent at once after it.
      NodeCli.run(
          cluster,
          "kubectl",
          "--namespace",
          FUNCTION_NS,
          "wait",
          "--for=condition=Ready",
          "--timeout=60s",
          "function/scratch-cache");
      HttpResponse<String> first = viaActivator("/" + FUNCTION_NS + "/scratch-cache/");
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(condition("scratch-cache", "RoutesReady").getMessage())
          .startsWith("every activator asked (2) routes generation ");
      HttpResponse<String> wrote = viaActivator("/" + FUNCTION_NS + "/scratch-cache/?mib=100");
      assertThat(wrote.statusCode()).as(wrote.body()).isEqualTo(200);
      assertThat(wrote.body()).contains("\"keptBytes\":104857600");
      assertThat(viaActivator("/" + FUNCTION_NS + "/scratch-cache/").body())
          .as("the pod keeps it")
          .contains("\"keptBytes\":104857600");
      Pod pod = podsOf("scratch-cache").get(0);
      assertThat(pod.getSpec().getVolumes())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo("cache");
                assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("256Mi"));
              });
      assertThat(
              pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
          .isTrue();

      // 100 + 200 MiB: over the volume's 256Mi, and the kubelet evicts the pod for it.
      HttpResponse<String> over = viaActivator("/" + FUNCTION_NS + "/scratch-cache/?mib=200");
      assertThat(over.statusCode()).as(over.body()).isEqualTo(200);
      io.fabric8.kubernetes.api.model.Event evicted =
          await()
              .atMost(Duration.ofMinutes(2))
              .until(() -> functionEvents("scratch-cache", "PodEvicted"), e -> !e.isEmpty())
              .get(0);
      System.out.println("PodEvicted: " + evicted.getMessage());
      assertThat(evicted.getMessage())
          .contains("Usage of EmptyDir volume \"cache\" exceeds the limit \"256Mi\"");
    } finally {
      deleteFunctions("scratch-cache");
    }
  }

  @Test
  @Order(30)
  void anActivatorThatStopsAnsweringKeepsANewFunctionRoutingAndTheSamplesPartialUntilItAnswers()
      throws Exception {
    Pod paused = activatorPods().get(0);
    String pod = paused.getMetadata().getName();
    String ip = paused.getStatus().getPodIP();
    // SIGSTOP: its sockets stay open and the kernel still accepts connections for it, but it
    // answers nothing. The kubelet lists it ready until its readiness probe has failed three
    // times (about 30 s), so the operator still asks it.
    cluster.pauseContainer(pod, "activator");
    try {
      NodeCli.apply(
          cluster,
          FUNCTION_NS,
          """
          apiVersion: kinetic.dev/v1alpha1
          kind: Function
          metadata: {name: asked-while-paused}
          spec:
            image: ghcr.io/kinetic-dev/examples/hello:0.1.0
          """);
      // Once the other activator's watch has it, the message counts that one and names only the
      // paused one.
      String behind = "1 of 2 activators route generation 1 so far: " + ip + " no answer within";
      Condition routing =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> findCondition(conditionsOf("asked-while-paused"), "RoutesReady"),
                  c -> c.filter(r -> r.getMessage().startsWith(behind)).isPresent())
              .orElseThrow();
      System.out.println("RoutesReady with one activator paused: " + routing.getMessage());
      assertThat(routing.getReason()).isEqualTo("Routing");
      assertThat(readyCondition(FUNCTION_NS, "asked-while-paused").getStatus())
          .isEqualTo("Unknown");
      // The autoscaler's scrape (every second, 500 ms at most) has the other activator's numbers
      // only: a partial sample, which may raise a scale and never lowers one.
      String leader = holder(operatorLease());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> client.pods().inNamespace(SYSTEM_NS).withName(leader).getLog(),
              log -> log.contains("load sample partial (1 of 2 activators)"));
    } finally {
      cluster.resumeContainer(pod, "activator");
    }
    // Resumed, its watch catches up, and the next round finds every activator routing it.
    awaitReady("asked-while-paused", Duration.ofSeconds(30));
    assertThat(condition("asked-while-paused", "RoutesReady").getMessage())
        .isEqualTo("every activator asked (2) routes generation 1");
    HttpResponse<String> answered = get(ip + ":8080", "/" + FUNCTION_NS + "/asked-while-paused/");
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(restarts(currentPod(paused)))
        .as("paused, not restarted")
        .isEqualTo(restarts(paused));
    deleteFunctions("asked-while-paused");
  }

  @Test
  @Order(31)
  void noSecretValueTheSuiteUsedIsInAnyContainersLogOrAnyStatus() throws Exception {
    // Sent as Bearer tokens through the activators (whose access log is on since @12), mounted
    // and rotated as files, read from env by secretKeyRef, and the private registry's password.
    List<String> secrets =
        List.of(
            "node-test-token", "node-file-token", "rotated-token", cluster.registry().password());
    List<Path> logs;
    try (Stream<Path> files = Files.walk(cluster.podLogs())) {
      logs = files.filter(Files::isRegularFile).toList();
    }
    // The kubelet's logs of every container still on the node: the platform's, kept across its
    // restarts, and the functions' that are left.
    assertThat(logs)
        .as("container logs")
        .anySatisfy(l -> assertThat(l.toString()).contains("kinetic-activator"))
        .anySatisfy(l -> assertThat(l.toString()).contains("kinetic-operator"))
        .anySatisfy(l -> assertThat(l.toString()).contains("kinetic-dispatcher"));
    long bytes = 0;
    for (Path log : logs) {
      String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
      bytes += text.length();
      for (String secret : secrets) {
        assertThat(text).as("%s holds a secret value", log).doesNotContain(secret);
      }
    }
    String statuses =
        JSON.writeValueAsString(
                client.resources(Function.class).inAnyNamespace().list().getItems().stream()
                    .map(Function::getStatus)
                    .toList())
            + JSON.writeValueAsString(
                client.resources(Trigger.class).inAnyNamespace().list().getItems().stream()
                    .map(Trigger::getStatus)
                    .toList())
            + JSON.writeValueAsString(client.v1().events().inAnyNamespace().list().getItems());
    for (String secret : secrets) {
      assertThat(statuses).as("statuses and Events").doesNotContain(secret);
    }
    System.out.println(
        "no secret value in " + logs.size() + " container logs (" + bytes / 1024 + " KiB)");
  }

  private static List<Condition> conditionsOf(String function) {
    Function f = function(function);
    return f == null || f.getStatus() == null ? List.of() : f.getStatus().getConditions();
  }

  private static long deploymentGeneration(String function) {
    return client
        .apps()
        .deployments()
        .inNamespace(FUNCTION_NS)
        .withName(function)
        .get()
        .getMetadata()
        .getGeneration();
  }

  /** A message to examples/json-echo by its domain, through the activators' Service. */
  private static HttpResponse<String> echoAtItsDomain(String message) throws Exception {
    return HTTP.send(
        to(activatorIp(), "/")
            .header("Host", "echo.example.com")
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + message + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Condition condition(String function, String type) {
    return findCondition(function(function).getStatus().getConditions(), type).orElseThrow();
  }

  private static Optional<Condition> findCondition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Until the Function's Ready condition is True. */
  private static void awaitReady(String function, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () -> readyCondition(FUNCTION_NS, function),
            c -> c != null && "True".equals(c.getStatus()));
  }

  /** A request through an activator is answered 503 at once, with the Function's reason. */
  private static void assertUnavailable(String function, String reason) throws Exception {
    HttpResponse<String> refused = viaActivator("/" + FUNCTION_NS + "/" + function + "/");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("function_unavailable", reason);
  }

  /** kubectl delete of these Functions; one already gone is no failure. */
  private static void deleteFunctions(String... names) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--namespace", FUNCTION_NS, "delete", "function", "--ignore-not-found"));
    args.addAll(List.of(names));
    NodeCli.run(cluster, "kubectl", args.toArray(String[]::new));
  }

  /** kubectl label or taint of the node, as an admin does; removing one it lacks is no failure. */
  private static void node(String verb, String change) throws Exception {
    try {
      NodeCli.run(cluster, "kubectl", verb, "node", "kinetic-node", change, "--overwrite=true");
    } catch (IllegalStateException failed) {
      if (!change.endsWith("-") || !failed.getMessage().contains("not found")) {
        throw failed;
      }
    }
  }

  /** The status of a GET of a function through an activator with this bearer token. */
  private static int withBearer(String function, String token) throws Exception {
    HttpRequest request =
        to(activatorIp(), "/" + FUNCTION_NS + "/" + function + "/")
            .header("Authorization", "Bearer " + token)
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static List<io.fabric8.kubernetes.api.model.Event> functionEvents(
      String function, String reason) {
    return client.v1().events().inNamespace(FUNCTION_NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> function.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static Condition readyCondition(String namespace, String name) {
    Function function =
        client.resources(Function.class).inNamespace(namespace).withName(name).get();
    if (function == null || function.getStatus() == null) {
      return null;
    }
    return function.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static void printDispatcherFigures() throws IOException {
    for (Pod pod :
        client
            .pods()
            .inNamespace(SYSTEM_NS)
            .withLabel("app.kubernetes.io/name", "kinetic-dispatcher")
            .list()
            .getItems()) {
      String started =
          client
              .pods()
              .inNamespace(SYSTEM_NS)
              .withName(pod.getMetadata().getName())
              .getLog()
              .lines()
              .filter(l -> l.contains("started in"))
              .findFirst()
              .orElse("(no start line)");
      System.out.println(pod.getMetadata().getName() + ": " + started.strip());
    }
    printResidentMemory("dispatcher", "/app/dispatcher.jar");
  }

  /**
   * For the record: resident memory now and at its peak of each process of one of our images. The
   * node is this machine, so the pods' JVMs are processes here.
   */
  private static void printResidentMemory(String component, String jar) throws IOException {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      for (ProcessHandle p :
          all.filter(p -> p.info().commandLine().orElse("").contains(jar)).toList()) {
        String memory =
            Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " "))
                .collect(Collectors.joining(", "));
        System.out.println(component + " process " + p.pid() + " " + memory);
      }
    }
  }

  private static List<Pod> activatorPods() {
    return client
        .pods()
        .inNamespace(SYSTEM_NS)
        .withLabel("app.kubernetes.io/name", "kinetic-activator")
        .list()
        .getItems();
  }

  private static Pod currentPod(Pod pod) {
    return client.pods().inNamespace(SYSTEM_NS).withName(pod.getMetadata().getName()).get();
  }

  private static int restarts(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .map(e -> String.valueOf(e.getValue()))
        .findFirst()
        .orElse("");
  }

  private static void patchFunction(String name, String patch) throws Exception {
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        FUNCTION_NS,
        "patch",
        "function",
        name,
        "--type=merge",
        "-p",
        patch);
  }

  private static long readyPodsOf(String function) {
    return podsOf(function).stream().filter(Readiness::ready).count();
  }

  /** Every pod of the function runs the new env and is ready, and no old pod is left. */
  private static boolean rolledOut(String function, String greeting) {
    List<Pod> all =
        client
            .pods()
            .inNamespace(FUNCTION_NS)
            .withLabel("kinetic.dev/function", function)
            .list()
            .getItems();
    return !all.isEmpty()
        && all.stream()
            .allMatch(
                p ->
                    env(p, "GREETING").equals(greeting)
                        && p.getStatus().getContainerStatuses() != null
                        && Readiness.ready(p));
  }

  /** Whether every activator's {@code /stats} gives {@code function} this hard limit. */
  private static boolean activatorsEnforce(String function, int hard) throws Exception {
    List<Pod> activators = activatorPods();
    for (Pod activator : activators) {
      String stats =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + activator.getStatus().getPodIP() + ":8081/stats"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      boolean found = false;
      for (JsonNode f : JSON.readTree(stats).path("functions")) {
        if (function.equals(f.path("name").asText())
            && f.path("hardConcurrency").asInt(-1) == hard) {
          found = true;
        }
      }
      if (!found) {
        System.out.println("activator " + activator.getMetadata().getName() + ": " + stats);
        return false;
      }
    }
    return !activators.isEmpty();
  }

  /** kubectl patch of the platform-limits ConfigMap, as an admin edits it live. */
  private static void patchLimits(String type, String patch) throws Exception {
    NodeCli.run(
        cluster,
        "kubectl",
        "--namespace",
        SYSTEM_NS,
        "patch",
        "configmap",
        "kinetic-platform-limits",
        "--type=" + type,
        "-p",
        patch);
  }

  /** {@code count} requests at once through the activator; the count of each status. */
  /** The statuses of a burst, and each failed answer with its body and when it came. */
  private record Burst(Map<Integer, Long> statuses, List<String> failures) {
    @Override
    public String toString() {
      return statuses + " failures: " + String.join("\n", failures);
    }
  }

  private static Burst burst(String path, int count) {
    String ip = activatorIp();
    long start = System.nanoTime();
    List<CompletableFuture<String>> calls = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CompletableFuture<HttpResponse<String>> answer =
          HTTP.sendAsync(
              HttpRequest.newBuilder(URI.create("http://" + ip + path))
                  .timeout(Duration.ofSeconds(120))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(answer);
      // When each failure came, relative to the burst: to line up with pod and activator events.
      calls.add(
          answer.thenApply(
              a ->
                  a.statusCode() == 200
                      ? null
                      : "+"
                          + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
                              System.nanoTime() - start)
                          + " ms "
                          + a.statusCode()
                          + " "
                          + a.body()));
    }
    List<String> failures =
        calls.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
    Map<Integer, Long> statuses =
        answers.stream()
            .map(CompletableFuture::join)
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    return new Burst(statuses, failures);
  }

  private static Condition awaitNotReady(String function) {
    return awaitNotReady(function, c -> true);
  }

  /** Until the Function's Ready condition is False for a reason that is not progress, and more. */
  private static Condition awaitNotReady(
      String function, java.util.function.Predicate<Condition> also) {
    return await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                // The status is null until the operator's first reconcile writes it.
                Optional.ofNullable(function(function))
                    .map(Function::getStatus)
                    .map(FunctionStatus::getConditions)
                    .orElse(List.of())
                    .stream()
                    .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()))
                    .filter(
                        c ->
                            !List.of("Deploying", "RollingOut", "PodsNotReady", "Creating")
                                .contains(c.getReason()))
                    .filter(also)
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private static String activatorIp() {
    return client
        .services()
        .inNamespace(SYSTEM_NS)
        .withName("kinetic-activator")
        .get()
        .getSpec()
        .getClusterIP();
  }

  private static HttpResponse<String> viaActivator(String path) throws Exception {
    return get(activatorIp(), path);
  }

  /** A GET of a path (and query) on port 80 of an address, waiting at most a minute. */
  private static HttpResponse<String> get(String ip, String pathAndQuery) throws Exception {
    return HTTP.send(to(ip, pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder to(String ip, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://" + ip + pathAndQuery))
        .timeout(Duration.ofSeconds(60));
  }

  /**
   * Sends a GET to a cluster URL from this machine, as a client in the cluster would: its host name
   * is looked up in the cluster's DNS (CoreDNS, at the kube-dns Service's address, which
   * kube-proxy's rules route from here too), following aliases, and sent as the Host.
   */
  private static HttpResponse<String> throughClusterDns(String url) throws Exception {
    return throughClusterDns(url, URI.create(url).getHost());
  }

  /**
   * Resolves the URL's host through the cluster's DNS (following aliases) and sends the request to
   * that address with {@code host} as its Host header.
   */
  private static HttpResponse<String> throughClusterDns(String url, String host) throws Exception {
    URI uri = URI.create(url);
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    String dnsIp =
        client
            .services()
            .inNamespace("kube-system")
            .withName("kube-dns")
            .get()
            .getSpec()
            .getClusterIP();
    env.put(Context.PROVIDER_URL, "dns://" + dnsIp);
    DirContext dns = new InitialDirContext(env);
    String ip = null;
    try {
      String name = uri.getHost();
      // One type per query: for several, the provider asks for ANY, which CoreDNS refuses.
      for (int aliases = 0; ip == null && aliases < 5; aliases++) {
        Attribute address = dns.getAttributes(name + ".", new String[] {"A"}).get("A");
        if (address != null) {
          ip = (String) address.get();
        } else {
          Attribute alias = dns.getAttributes(name + ".", new String[] {"CNAME"}).get("CNAME");
          assertThat(alias).as(name + " in the cluster's DNS").isNotNull();
          name = ((String) alias.get()).replaceAll("\\.$", "");
        }
      }
    } finally {
      dns.close();
    }
    assertThat(ip).as(uri.getHost() + " in the cluster's DNS").isNotNull();
    String pathAndQuery =
        uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return HTTP.send(
        to(ip, pathAndQuery).header("Host", host).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The Function as the API server has it now; null when there is none. */
  private static Function function(String name) {
    return client.resources(Function.class).inNamespace(FUNCTION_NS).withName(name).get();
  }

  private static List<Pod> podsOf(String function) {
    return client.pods().inNamespace(FUNCTION_NS).list().getItems().stream()
        .filter(p -> function.equals(p.getMetadata().getLabels().get("kinetic.dev/function")))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static String holder(Lease lease) {
    // JOSDK's identity is the pod's name (its HOSTNAME).
    return lease.getSpec().getHolderIdentity();
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(Repository.root().resolve("examples"))) {
      return dirs.map(d -> d.resolve("function.yaml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }
}
