package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionResources;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.Visibility;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, in its production profile (server-side apply, leader election), running as
 * its ServiceAccount with the chart's RBAC rules, against a real kube-apiserver.
 */
class OperatorIT {
  static final String OPERATOR_NS = SharedOperator.NAMESPACE;
  static final String NS = "it-operator";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DOMAINS_READY = "DomainsReady";

  static KubernetesClient admin;
  static KubernetesClient asOperator;

  @BeforeAll
  static void start() {
    admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, NS);
    SharedOperator.process();
    asOperator = SharedOperator.client();
  }

  @Test
  void aFunctionBecomesAnOwnedDeploymentAndServiceWithATruthfulStatus() {
    Function created = admin.resource(function("hello", "example.com/hello:1")).create();

    Deployment deployment = awaitDeployment("hello");
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(deployment.getMetadata().getManagedFields())
        .anyMatch(
            f -> "kinetic-operator".equals(f.getManager()) && "Apply".equals(f.getOperation()))
        .as("created by server-side apply, so the operator's fields have one owner");
    // Its address, an alias of the activators' Service, and the Service that selects its pods.
    Service alias =
        await()
            .atMost(WAIT)
            .until(() -> admin.services().inNamespace(NS).withName("hello").get(), s -> s != null);
    assertThat(alias.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(alias.getSpec().getExternalName())
        .isEqualTo("kinetic-activator." + OPERATOR_NS + ".svc.cluster.local");
    Service pods =
        await()
            .atMost(WAIT)
            .until(
                () -> admin.services().inNamespace(NS).withName("hello-pods").get(),
                s -> s != null);
    assertThat(pods.getSpec().getSelector()).containsEntry(Function.FUNCTION_LABEL, "hello");

    // No controller-manager runs here, so the Deployment never reports progress: the truthful
    // status is "waiting", never Ready.
    Condition ready = awaitCondition("hello", "Ready", c -> "Deploying".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    Function function = get("hello");
    assertThat(function.getStatus().getObservedGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
    assertThat(ready.getObservedGeneration())
        .isEqualTo(
            created.getMetadata().getGeneration()); // It says nothing, and no admin default is set.
    assertThat(function.getStatus().getVisibility()).isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void replicasSetByAnotherManagerAreNotReverted() {
    admin.resource(function("scaled", "example.com/hello:1")).create();
    awaitDeployment("scaled");

    // As `kubectl scale` does: through the scale subresource, as another field manager.
    admin.apps().deployments().inNamespace(NS).withName("scaled").scale(4);
    editSpec("scaled", spec -> spec.setImage("example.com/hello:2"));

    await()
        .atMost(WAIT)
        .until(
            () ->
                image(admin.apps().deployments().inNamespace(NS).withName("scaled").get())
                    .equals("example.com/hello:2"));
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("scaled")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(4);
  }

  @Test
  void anEnvVarRemovedFromTheSpecIsRemovedFromTheDeployment() {
    Function function = function("shrink", "example.com/hello:1");
    function
        .getSpec()
        .setEnv(List.of(new EnvVar("KEEP", "1", null), new EnvVar("DROP", "2", null)));
    admin.resource(function).create();
    awaitDeployment("shrink");

    editSpec("shrink", spec -> spec.setEnv(List.of(new EnvVar("KEEP", "1", null))));

    await()
        .atMost(WAIT)
        .until(
            () ->
                admin
                    .apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("shrink")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .stream()
                    .map(EnvVar::getName)
                    .noneMatch("DROP"::equals));
  }

  @Test
  void driftInOwnedFieldsIsRepaired() {
    admin.resource(function("drift", "example.com/hello:1")).create();
    awaitDeployment("drift");

    admin
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("drift")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone-else:9");
              return d;
            });

    await()
        .atMost(WAIT)
        .until(
            () ->
                image(admin.apps().deployments().inNamespace(NS).withName("drift").get())
                    .equals("example.com/hello:1"));
  }

  @Test
  void aSettledFunctionIsNotWrittenAgainWhenAReconcileFindsNothingChanged() {
    admin.resource(function("quiet", "example.com/hello:1")).create();
    Deployment created = awaitDeployment("quiet");
    // No Deployment controller runs here, so the test reports for it, as it would for a
    // Deployment at zero: the generation acted on, no pods.
    admin
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("quiet")
        .editStatus(
            d -> {
              d.setStatus(new DeploymentStatus());
              d.getStatus().setObservedGeneration(created.getMetadata().getGeneration());
              d.getStatus().setReplicas(0);
              return d;
            });
    awaitCondition("quiet", "DeploymentReady", c -> "ScaledToZero".equals(c.getReason()));
    // No activator runs here either: nothing would route a request to it, and Ready says so.
    Condition ready = awaitCondition("quiet", "Ready", c -> "NoActivators".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getMessage())
        .isEqualTo(
            "no ready activator is listed in Service kinetic-system/kinetic-activator: nothing"
                + " routes requests to this Function");
    Map<String, String> settled = settledVersions("quiet");

    // Drift in the Service makes the operator reconcile the Function and repair it: proof that a
    // reconcile ran. It must write the Service back and nothing else. Server-side defaults and its
    // own earlier status write must compare equal to what it wants, or it writes the status again.
    // (Not a change to the Deployment's annotations: for a Deployment those count as a new
    // generation, which the operator rightly reports until the Deployment controller acts on it.)
    Map<String, String> selector =
        admin.services().inNamespace(NS).withName("quiet-pods").get().getSpec().getSelector();
    admin
        .services()
        .inNamespace(NS)
        .withName("quiet-pods")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"selector\":{\"" + Function.FUNCTION_LABEL + "\":\"another\"}}}");
    await()
        .atMost(WAIT)
        .until(
            () ->
                admin
                    .services()
                    .inNamespace(NS)
                    .withName("quiet-pods")
                    .get()
                    .getSpec()
                    .getSelector(),
            selector::equals);
    Map<String, String> repaired = versions("quiet");
    assertThat(moved(settled, repaired)).containsExactly("Service/quiet-pods");

    try {
      await()
          .during(Duration.ofSeconds(30))
          .atMost(Duration.ofSeconds(40))
          .until(() -> versions("quiet").equals(repaired));
    } catch (org.awaitility.core.ConditionTimeoutException written) {
      // The assertion below names what was written.
    }
    assertThat(moved(repaired, versions("quiet"))).as("objects written while left alone").isEmpty();
  }

  /** The versions once two readings 5 s apart agree: the operator's first writes are done. */
  private static Map<String, String> settledVersions(String name) {
    AtomicReference<Map<String, String>> last = new AtomicReference<>(versions(name));
    await()
        .atMost(WAIT)
        .pollDelay(Duration.ofSeconds(5))
        .pollInterval(Duration.ofSeconds(5))
        .until(() -> last.getAndSet(versions(name)).equals(last.get()));
    return last.get();
  }

  /** kind (and name) → resourceVersion of the Function, its Deployment and its two Services. */
  private static Map<String, String> versions(String name) {
    Map<String, String> versions = new java.util.TreeMap<>();
    versions.put("Function", get(name).getMetadata().getResourceVersion());
    versions.put(
        "Deployment",
        admin
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName(name)
            .get()
            .getMetadata()
            .getResourceVersion());
    for (String service : List.of(name, name + "-pods")) {
      versions.put(
          "Service/" + service,
          admin
              .services()
              .inNamespace(NS)
              .withName(service)
              .get()
              .getMetadata()
              .getResourceVersion());
    }
    return versions;
  }

  private static List<String> moved(Map<String, String> from, Map<String, String> to) {
    return from.keySet().stream().filter(kind -> !from.get(kind).equals(to.get(kind))).toList();
  }

  @Test
  void rapidEditsConvergeWithoutErrorsInTheStatus() {
    admin.resource(function("busy", "example.com/busy:0")).create();
    awaitDeployment("busy");
    for (int i = 1; i <= 10; i++) {
      int version = i;
      editSpec("busy", spec -> spec.setImage("example.com/busy:" + version));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                image(admin.apps().deployments().inNamespace(NS).withName("busy").get())
                    .equals("example.com/busy:10"));
    Function function = get("busy");
    awaitCondition(
        "busy",
        "Ready",
        c -> c.getObservedGeneration().equals(function.getMetadata().getGeneration()));
    assertThat(get("busy").getStatus().getConditions())
        .noneMatch(c -> "False".equals(c.getStatus()));
  }

  @Test
  void aDomainStaysWithTheFunctionThatClaimedItFirstAndGoesToTheNextOnceGivenUp() {
    String otherNs = "it-operator-domains";
    ApiServer.createNamespace(admin, otherNs);
    // Created before the holder: being older must not let it take the name later.
    admin.resource(function("elder", "example.com/shop:1")).create();
    Function shop = function("shop", "example.com/shop:1");
    shop.getSpec().setDomains(List.of("shop.example.com", "first.example.com"));
    admin.resource(shop).create();
    awaitCondition("shop", DOMAINS_READY, c -> "Claimed".equals(c.getReason()));
    assertThat(get("shop").getStatus().getDomains())
        .containsExactly("shop.example.com", "first.example.com");

    // Another namespace claims one of them later: it does not get it, and is told who has it.
    Function copy = function("copy", "example.com/shop:1", otherNs);
    copy.getSpec().setDomains(List.of("shop.example.com", "copy.example.com"));
    admin.resource(copy).create();
    Condition taken =
        awaitCondition(otherNs, "copy", DOMAINS_READY, c -> "DomainTaken".equals(c.getReason()));
    assertThat(taken.getStatus()).isEqualTo("False");
    assertThat(taken.getMessage())
        .startsWith("shop.example.com is held by " + NS + "/shop, which had it first.")
        .contains("It answers at http://copy.example.com;");
    assertThat(get(otherNs, "copy").getStatus().getDomains()).containsExactly("copy.example.com");
    assertThat(get(otherNs, "copy").getStatus().getConditions())
        .as("a domain taken is not a reason to be unready: it answers at its other names")
        .noneMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()));

    // An older Function that claims the name later does not take it either; once it stops
    // claiming any, it has no such condition.
    editSpec("elder", spec -> spec.setDomains(List.of("shop.example.com")));
    assertThat(awaitCondition("elder", DOMAINS_READY, c -> true).getMessage())
        .startsWith("shop.example.com is held by " + NS + "/shop");
    assertThat(get("shop").getStatus().getDomains()).contains("shop.example.com");
    editSpec("elder", spec -> spec.setDomains(null));
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("elder").getStatus().getConditions().stream()
                    .noneMatch(c -> DOMAINS_READY.equals(c.getType())));

    // The holder gives it up by an edit: the claimant gets it without waiting for a resync.
    editSpec("shop", spec -> spec.setDomains(List.of("first.example.com")));
    Condition claimed =
        awaitCondition(otherNs, "copy", DOMAINS_READY, c -> "Claimed".equals(c.getReason()));
    assertThat(claimed.getMessage())
        .isEqualTo("answers at http://shop.example.com, http://copy.example.com");
    assertThat(get(otherNs, "copy").getStatus().getDomains())
        .containsExactly("shop.example.com", "copy.example.com");
    await()
        .atMost(WAIT)
        .until(() -> get("shop").getStatus().getDomains(), List.of("first.example.com")::equals);
  }

  @Test
  void aSpecTheApiServerRefusesIsReportedWithItsMessage() {
    Function function = function("bad-env", "example.com/hello:1");
    // Kubernetes 1.34 accepts any printable ASCII in env names except '=' (the CRD leaves names to
    // the server, whose rule changed across versions).
    function.getSpec().setEnv(List.of(new EnvVar("GREETING=HELLO", "x", null)));
    admin.resource(function).create();

    Condition ready = awaitCondition("bad-env", "Ready", c -> "Rejected".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("GREETING=HELLO");
  }

  @Test
  void aWriteTheClusterRefusesForNowIsReportedAndRetriedUntilItSucceeds() {
    String ns = "it-quota";
    ApiServer.createNamespace(admin, ns);
    // A namespace quota that allows no Service. Its status is what kube-controller-manager would
    // write; quota admission in the API server enforces it.
    ResourceQuota quota =
        admin
            .resource(
                new ResourceQuotaBuilder()
                    .withNewMetadata()
                    .withName("no-services")
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .addToHard("services", new Quantity("0"))
                    .endSpec()
                    .build())
            .create();
    quota.setStatus(
        new ResourceQuotaStatusBuilder()
            .addToHard("services", new Quantity("0"))
            .addToUsed("services", new Quantity("0"))
            .build());
    admin.resource(quota).updateStatus();

    admin.resource(function("quota", "example.com/hello:1", ns)).create();
    Condition failed =
        awaitCondition(ns, "quota", "Ready", c -> "ReconcileError".equals(c.getReason()));
    assertThat(failed.getStatus()).isEqualTo("False");
    assertThat(failed.getMessage()).contains("exceeded quota: no-services").endsWith("retrying");

    admin.resource(quota).delete();
    awaitCondition(ns, "quota", "Ready", c -> "Deploying".equals(c.getReason()));
    assertThat(admin.services().inNamespace(ns).withName("quota").get()).isNotNull();
    assertThat(admin.services().inNamespace(ns).withName("quota-pods").get()).isNotNull();
  }

  @Test
  void aServiceThatSelectsPodsUnderTheFunctionsNameBecomesTheAliasInPlace() {
    // A spec the operator refuses, so that it writes nothing while the old Service is put in place.
    Function refused = function("upgraded", "example.com/hello:1");
    refused.getSpec().setResources(FunctionResources.limits("memory", "lots"));
    Function created = admin.resource(refused).create();
    awaitCondition("upgraded", "Ready", c -> "InvalidSpec".equals(c.getReason()));
    // What the operator wrote before the pods had a Service of their own: the function's name,
    // selecting the pods, owned by the Function, applied as the operator's field manager.
    Service old =
        admin
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("upgraded")
                    .withNamespace(NS)
                    .addToLabels(Function.FUNCTION_LABEL, "upgraded")
                    .addNewOwnerReference()
                    .withApiVersion(created.getApiVersion())
                    .withKind(created.getKind())
                    .withName("upgraded")
                    .withUid(created.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec()
                    .withType("ClusterIP")
                    .addToSelector(Function.FUNCTION_LABEL, "upgraded")
                    .addNewPort()
                    .withName("http")
                    .withProtocol("TCP")
                    .withPort(80)
                    .withNewTargetPort("http")
                    .endPort()
                    .endSpec()
                    .build())
            .fieldManager("kinetic-operator")
            .serverSideApply();
    assertThat(old.getSpec().getClusterIP()).isNotBlank();

    editSpec("upgraded", spec -> spec.setResources(null));

    Service alias =
        await()
            .atMost(WAIT)
            .until(
                () -> admin.services().inNamespace(NS).withName("upgraded").get(),
                s -> "ExternalName".equals(s.getSpec().getType()));
    assertThat(alias.getMetadata().getUid()).isEqualTo(old.getMetadata().getUid());
    assertThat(alias.getSpec().getSelector()).as("no pods selected any more").isNullOrEmpty();
    assertThat(alias.getSpec().getClusterIP()).isNull();
    assertThat(alias.getSpec().getExternalName())
        .isEqualTo("kinetic-activator." + OPERATOR_NS + ".svc.cluster.local");
    assertThat(
            admin
                .services()
                .inNamespace(NS)
                .withName("upgraded-pods")
                .get()
                .getSpec()
                .getSelector())
        .containsEntry(Function.FUNCTION_LABEL, "upgraded");
    await()
        .atMost(WAIT)
        .until(
            () -> get("upgraded").getStatus().getUrl(),
            url -> ("http://upgraded." + NS + ".svc.cluster.local").equals(url));
  }

  @Test
  void aDemandSignalScalesFromZeroThroughTheScaleSubresourceAndIsReported() throws Exception {
    admin.resource(function("cold", "example.com/hello:1")).create();
    assertThat(awaitDeployment("cold").getSpec().getReplicas()).isZero();
    await()
        .atMost(WAIT)
        .until(
            () -> get("cold").getStatus(),
            s ->
                s != null
                    && "created at zero pods: the first request starts one"
                        .equals(s.getLastScaleReason()));
    // The operator applied that reason at creation and owns it alone until the autoscaler writes
    // one: its next write (an image change) must carry it, or server-side apply would drop it.
    assertThat(rollTo("cold", "example.com/hello:2").getMetadata().getAnnotations())
        .containsEntry(
            "autoscaling.kinetic.dev/last-scale-reason",
            "created at zero pods: the first request starts one");

    // What an activator sends when requests wait for a function with no ready pod.
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:"
                                + SharedOperator.process().httpPort()
                                + "/autoscaler/demand"))
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"namespace\":\"" + NS + "\",\"name\":\"cold\",\"waiting\":2}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    Deployment scaled =
        await()
            .atMost(WAIT)
            .until(
                () -> admin.apps().deployments().inNamespace(NS).withName("cold").get(),
                d -> d.getSpec().getReplicas() == 1);
    assertThat(scaled.getMetadata().getManagedFields())
        .as("replicas written through the scale subresource by the autoscaler's own manager")
        .anyMatch(
            f -> "kinetic-autoscaler".equals(f.getManager()) && "scale".equals(f.getSubresource()));
    Function reported =
        await()
            .atMost(WAIT)
            .until(
                () -> get("cold"),
                // Not any reason: the creation's is there from the start.
                f -> !f.getStatus().getLastScaleReason().startsWith("created"));
    assertThat(reported.getStatus().getDesiredReplicas()).isEqualTo(1);
    assertThat(reported.getStatus().getLastScaleReason())
        .isEqualTo("2 requests waiting at zero pods: scaling to 1 now");
    io.fabric8.kubernetes.api.model.Event event =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    admin.v1().events().inNamespace(NS).list().getItems().stream()
                        // The Function's own: the API server may record events on the Service
                        // of the same name (ClusterIPNotAllocated from its IP repair loop).
                        .filter(e -> "cold".equals(e.getInvolvedObject().getName()))
                        .filter(e -> "Function".equals(e.getInvolvedObject().getKind()))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(event.getReason()).isEqualTo("ScaledUp");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("Function");
    assertThat(event.getMessage()).startsWith("scaled from 0 to 1: ");

    // And the autoscaler's reason, once it has written one, stays through the operator's writes.
    Deployment rolled = rollTo("cold", "example.com/hello:3");
    assertThat(rolled.getSpec().getReplicas()).isEqualTo(1);
    assertThat(rolled.getMetadata().getAnnotations())
        .containsEntry(
            "autoscaling.kinetic.dev/last-scale-reason",
            "2 requests waiting at zero pods: scaling to 1 now");
  }

  @Test
  void theMetricsTheAdminGuideListsAreExposed() throws Exception {
    admin.resource(function("metered", "example.com/hello:1")).create();
    awaitDeployment("metered");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI metrics =
        java.net.URI.create(
            "http://127.0.0.1:" + SharedOperator.process().httpPort() + "/q/metrics");

    // No activator runs here, so every sample is missing: the metric an admin alerts on.
    String text =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    http.send(
                            java.net.http.HttpRequest.newBuilder(metrics).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body(),
                t -> t.contains("kinetic_autoscaler_samples_total{outcome=\"missing\"}"));
    text.lines()
        .filter(l -> !l.startsWith("#"))
        .map(l -> l.replaceAll("[{ ].*", ""))
        .filter(n -> n.startsWith("kinetic_"))
        .distinct()
        .sorted()
        .forEach(n -> System.out.println("operator metric: " + n));
    assertThat(text)
        .contains(
            "kinetic_autoscaler_leader 1.0",
            "kinetic_autoscaler_functions",
            "kinetic_autoscaler_samples_total{outcome=\"complete\"} 0.0");
  }

  @Test
  void theOperatorHasOnlyTheChartsPermissions() {
    SelfSubjectRulesReview review =
        asOperator
            .authorization()
            .v1()
            .selfSubjectRulesReview()
            .create(
                new SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace(OPERATOR_NS)
                    .endSpec()
                    .build());
    System.out.println("Rules granted to the operator in " + OPERATOR_NS + ":");
    review
        .getStatus()
        .getResourceRules()
        .forEach(
            r ->
                System.out.printf(
                    "  %s %s %s%n", r.getApiGroups(), r.getResources(), r.getVerbs()));

    admin
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("password", "s3cret")
                .build())
        .serverSideApply();
    assertForbidden(() -> asOperator.secrets().inNamespace(NS).withName("db").get());
    assertForbidden(() -> asOperator.secrets().inNamespace(OPERATOR_NS).list());
    assertForbidden(
        () -> asOperator.apps().deployments().inNamespace(NS).withName("hello").delete());
    assertForbidden(
        () ->
            asOperator
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("x")
                        .withNamespace(NS)
                        .endMetadata()
                        .build())
                .create());
    assertForbidden(
        () -> asOperator.resources(Function.class).inNamespace(NS).withName("hello").delete());
    assertThat(asOperator.resources(Function.class).inNamespace(NS).list()).isNotNull();
  }

  private static void assertForbidden(Runnable action) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  static Function function(String name, String image) {
    return function(name, image, NS);
  }

  static Function function(String name, String image, String namespace) {
    Function function = new Function();
    function.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    FunctionSpec spec = new FunctionSpec();
    spec.setImage(image);
    function.setSpec(spec);
    return function;
  }

  static Function get(String name) {
    return get(NS, name);
  }

  static Function get(String namespace, String name) {
    return admin.resources(Function.class).inNamespace(namespace).withName(name).get();
  }

  /** As kubectl edit: read, change, write; again on a conflict with the operator's writes. */
  /** Changes the Function's image and returns its Deployment once the operator has applied it. */
  private static Deployment rollTo(String name, String image) {
    editSpec(name, spec -> spec.setImage(image));
    return await()
        .atMost(WAIT)
        .until(
            () -> admin.apps().deployments().inNamespace(NS).withName(name).get(),
            d -> image(d).equals(image));
  }

  static void editSpec(String name, java.util.function.Consumer<FunctionSpec> change) {
    await()
        .atMost(WAIT)
        .ignoreException(KubernetesClientException.class)
        .until(
            () -> {
              Function f = get(name);
              change.accept(f.getSpec());
              admin.resource(f).update();
              return true;
            });
  }

  static Deployment awaitDeployment(String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> admin.apps().deployments().inNamespace(NS).withName(name).get(), d -> d != null);
  }

  static Condition awaitCondition(
      String name, String type, java.util.function.Predicate<Condition> wanted) {
    return awaitCondition(NS, name, type, wanted);
  }

  static Condition awaitCondition(
      String namespace, String name, String type, java.util.function.Predicate<Condition> wanted) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                Optional.ofNullable(get(namespace, name))
                    .map(Function::getStatus)
                    .flatMap(
                        s ->
                            s.getConditions().stream()
                                .filter(c -> type.equals(c.getType()))
                                .findFirst())
                    .orElse(null),
            c -> c != null && wanted.test(c));
  }

  static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
