package dev.kinetic.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.kinetic.api.DomainPolicy;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.Visibility;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** helm/kinetic linted and rendered with helm-java; assertions on the objects it renders. */
class ChartTest {
  private static final Path ROOT = Path.of(System.getProperty("kinetic.root", ".."));
  private static final Path CHART = ROOT.resolve("helm/kinetic");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static List<HasMetadata> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
    String rendered =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("kinetic")
                    .withNamespace("kinetic-system")
                    .withKubeVersion("1.34.4"))
            .call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.contains("kind:")) {
        objects.add(YAML.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void theChartLints() {
    var result = new Helm(CHART).lint().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void everyPodTemplateMeetsPodSecurityRestrictedAndHasResources() {
    for (var values : valueSets()) {
      List<Deployment> deployments = of(render(values), Deployment.class);
      assertThat(deployments)
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrder("kinetic-operator", "kinetic-activator", "kinetic-dispatcher");
      for (Deployment d : deployments) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot())
            .as(d.getMetadata().getName())
            .isTrue();
        var seccomp = pod.getSecurityContext().getSeccompProfile();
        // "restricted" admits RuntimeDefault or a Localhost profile, never Unconfined.
        assertThat(seccomp.getType()).isIn("RuntimeDefault", "Localhost");
        if (seccomp.getType().equals("Localhost")) {
          assertThat(seccomp.getLocalhostProfile()).isNotBlank();
        }
        for (Container c : pod.getContainers()) {
          var sc = c.getSecurityContext();
          assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
          assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
          assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
          assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
          assertThat(c.getResources().getLimits()).containsKey("memory");
        }
      }
    }
  }

  @Test
  void noPlatformPodGetsServiceLinkVariables() {
    // Kubernetes puts <SERVICE>_PORT=tcp://… into every pod of a namespace for each Service in it:
    // the Service kinetic-activator would set KINETIC_ACTIVATOR_PORT, the activator's own setting,
    // and the activator would refuse to start (seen on the real node, RealNodeIT).
    for (Deployment d : of(render(t -> t), Deployment.class)) {
      assertThat(d.getSpec().getTemplate().getSpec().getEnableServiceLinks())
          .as(d.getMetadata().getName())
          .isFalse();
    }
  }

  @Test
  void rbacHasNoWildcardsAndNoSecrets() {
    List<HasMetadata> objects = render(v -> v);
    List<PolicyRule> rules = new ArrayList<>();
    of(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    of(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      assertThat(
              Stream.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups())
                  .flatMap(List::stream))
          .doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("secrets");
      assertThat(rule.getVerbs())
          .doesNotContain("delete", "deletecollection", "escalate", "bind", "impersonate");
    }
  }

  @Test
  void theDispatcherMayGetSecretsOnlyInTheNamespacesTheAdminLists() {
    List<HasMetadata> objects =
        render(
            v ->
                v.set("dispatcher.secretNamespaces[0]", "shop")
                    .set("dispatcher.secretNamespaces[1]", "billing"));
    List<Role> secretRoles =
        of(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("kinetic-dispatcher-secrets"))
            .toList();
    assertThat(secretRoles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "billing");
    assertThat(secretRoles)
        .allSatisfy(
            r ->
                assertThat(r.getRules())
                    .extracting(p -> p.getResources() + " " + p.getVerbs())
                    .containsExactly("[secrets] [get]"));
    assertThat(of(objects, RoleBinding.class))
        .filteredOn(b -> b.getMetadata().getName().equals("kinetic-dispatcher-secrets"))
        .hasSize(2)
        .allSatisfy(
            b -> {
              assertThat(b.getRoleRef().getName()).isEqualTo("kinetic-dispatcher-secrets");
              assertThat(b.getSubjects())
                  .singleElement()
                  .satisfies(
                      sa -> {
                        assertThat(sa.getName()).isEqualTo("kinetic-dispatcher");
                        assertThat(sa.getNamespace()).isEqualTo("kinetic-system");
                      });
            });
    assertThat(of(objects, ClusterRole.class))
        .allSatisfy(
            r -> assertThat(r.getRules()).noneMatch(p -> p.getResources().contains("secrets")));
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return of(objects, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  @Test
  void theActivatorsTransportAndSeccompProfileComeFromTheValues() {
    Deployment byDefault = deployment(render(v -> v), "kinetic-activator");
    assertThat(env(byDefault, "KINETIC_ACTIVATOR_TRANSPORT")).isEqualTo("auto");
    assertThat(byDefault.getSpec().getTemplate().getSpec().getSecurityContext().getSeccompProfile())
        .satisfies(p -> assertThat(p.getType()).isEqualTo("RuntimeDefault"))
        .satisfies(p -> assertThat(p.getLocalhostProfile()).isNull());

    List<HasMetadata> objects =
        render(
            v ->
                v.set("activator.transport", "io_uring")
                    .set("activator.seccompProfile.type", "Localhost")
                    .set("activator.seccompProfile.localhostProfile", "profiles/kinetic.json"));
    Deployment activator = deployment(objects, "kinetic-activator");
    assertThat(env(activator, "KINETIC_ACTIVATOR_TRANSPORT")).isEqualTo("io_uring");
    var profile =
        activator.getSpec().getTemplate().getSpec().getSecurityContext().getSeccompProfile();
    assertThat(profile.getType()).isEqualTo("Localhost");
    assertThat(profile.getLocalhostProfile()).isEqualTo("profiles/kinetic.json");
    assertThat(
            deployment(objects, "kinetic-operator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getSeccompProfile()
                .getType())
        .as("only the activator's profile is a setting")
        .isEqualTo("RuntimeDefault");
  }

  @Test
  void withoutPlacementValuesEachComponentsReplicasPreferDifferentNodesAndPullAnonymously() {
    for (Deployment d : of(render(v -> v), Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      String name = d.getMetadata().getName();
      assertThat(pod.getImagePullSecrets()).as(name).isEmpty();
      assertThat(pod.getNodeSelector()).as(name).isNullOrEmpty();
      assertThat(pod.getTolerations()).as(name).isEmpty();
      assertThat(pod.getPriorityClassName()).as(name).isNull();
      assertThat(
              pod.getAffinity()
                  .getPodAntiAffinity()
                  .getPreferredDuringSchedulingIgnoredDuringExecution())
          .as(name)
          .singleElement()
          .satisfies(
              term -> {
                assertThat(term.getPodAffinityTerm().getTopologyKey())
                    .isEqualTo("kubernetes.io/hostname");
                assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                    .isEqualTo(Map.of("app.kubernetes.io/name", name));
              });
    }
  }

  @Test
  void eachComponentRunsWhereItsValuesSayAndAllPullWithTheChartsSecrets() {
    List<HasMetadata> objects =
        render(
            v ->
                v.set("image.pullSecrets[0].name", "mirror")
                    .set("operator.nodeSelector.kinetic\\.dev/pool", "system")
                    .set("operator.priorityClassName", "system-cluster-critical")
                    .set("activator.tolerations[0].key", "dedicated")
                    .set("activator.tolerations[0].operator", "Equal")
                    .set("activator.tolerations[0].value", "edge")
                    .set("activator.tolerations[0].effect", "NoSchedule")
                    .set(
                        "activator.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].key",
                        "kinetic.dev/edge")
                    .set(
                        "activator.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].operator",
                        "Exists"));
    for (Deployment d : of(objects, Deployment.class)) {
      assertThat(d.getSpec().getTemplate().getSpec().getImagePullSecrets())
          .as(d.getMetadata().getName())
          .extracting(r -> r.getName())
          .containsExactly("mirror");
    }
    PodSpec operator = deployment(objects, "kinetic-operator").getSpec().getTemplate().getSpec();
    assertThat(operator.getNodeSelector()).isEqualTo(Map.of("kinetic.dev/pool", "system"));
    assertThat(operator.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(operator.getTolerations()).isEmpty();

    PodSpec activator = deployment(objects, "kinetic-activator").getSpec().getTemplate().getSpec();
    assertThat(activator.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("edge");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(activator.getAffinity().getPodAntiAffinity())
        .as("an affinity given replaces the default one")
        .isNull();
    assertThat(
            activator
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getKey())
        .isEqualTo("kinetic.dev/edge");
    assertThat(activator.getNodeSelector()).isNullOrEmpty();

    PodSpec dispatcher =
        deployment(objects, "kinetic-dispatcher").getSpec().getTemplate().getSpec();
    assertThat(dispatcher.getTolerations()).as("the activator's only").isEmpty();
    assertThat(dispatcher.getAffinity().getPodAntiAffinity()).isNotNull();
  }

  @Test
  void theOperatorAndTheActivatorsShareTheClusterDomain() {
    // The operator points each function's alias at the activators under this domain, and the
    // activators route by the function's Service name under it: both must say the same.
    for (String domain : List.of("cluster.local", "corp.example")) {
      List<HasMetadata> objects =
          domain.equals("cluster.local")
              ? render(v -> v)
              : render(v -> v.set("clusterDomain", domain));
      assertThat(env(deployment(objects, "kinetic-operator"), "KINETIC_OPERATOR_CLUSTER_DOMAIN"))
          .isEqualTo(domain);
      assertThat(env(deployment(objects, "kinetic-activator"), "KINETIC_ACTIVATOR_CLUSTER_DOMAIN"))
          .isEqualTo(domain);
    }
  }

  @Test
  void activatorsSendDemandToTheOperatorsServiceWhichReachesItsHttpPort() {
    List<HasMetadata> objects = render(v -> v);
    String url = env(deployment(objects, "kinetic-activator"), "KINETIC_ACTIVATOR_AUTOSCALER_URL");
    assertThat(url).isEqualTo("http://kinetic-operator.kinetic-system.svc:8080/autoscaler/demand");
    Service operator =
        of(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("kinetic-operator"))
            .findFirst()
            .orElseThrow();
    assertThat(operator.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/name", "kinetic-operator");
    assertThat(operator.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
  }

  @Test
  void theLimitsConfigMapIsWhatTheValuesSay() {
    ConfigMap limits =
        of(
                render(v -> v.set("limits.maxConcurrency", 50).set("limits.maxMemory", "1Gi")),
                ConfigMap.class)
            .get(0);
    assertThat(limits.getMetadata().getName()).isEqualTo("kinetic-platform-limits");
    assertThat(limits.getData()).isEqualTo(Map.of("maxConcurrency", "50", "maxMemory", "1Gi"));
  }

  @Test
  void wherePodsOfEveryFunctionRunIsWrittenToTheLimitsAsTheOperatorReadsIt() {
    ConfigMap limits =
        of(
                render(
                    v ->
                        v.set("functions.nodeSelector.pool", "functions")
                            .set("functions.tolerations[0].key", "dedicated")
                            .set("functions.tolerations[0].value", "functions")
                            .set("functions.tolerations[0].effect", "NoSchedule")
                            .set("functions.priorityClassName", "functions")),
                ConfigMap.class)
            .get(0);

    PlatformLimits read = PlatformLimits.fromConfigMapData(limits.getData());
    assertThat(read.placement().nodeSelector()).containsExactly(Map.entry("pool", "functions"));
    assertThat(read.placement().tolerations())
        .containsExactly(new Toleration("NoSchedule", "dedicated", null, null, "functions"));
    assertThat(read.placement().priorityClassName()).hasValue("functions");
    assertThat(of(render(v -> v), ConfigMap.class).get(0).getData())
        .as("no limit and no placement by default")
        .isNull();
  }

  @Test
  void theAccessLogIsOffUnlessTheValueTurnsItOn() {
    assertThat(env(deployment(render(v -> v), "kinetic-activator"), "KINETIC_ACTIVATOR_ACCESS_LOG"))
        .isEqualTo("off");
    assertThat(
            env(
                deployment(render(v -> v.set("activator.accessLog", true)), "kinetic-activator"),
                "KINETIC_ACTIVATOR_ACCESS_LOG"))
        .isEqualTo("json");
  }

  @Test
  void theDefaultVisibilityIsWrittenToTheLimitsAsTheOperatorReadsIt() {
    ConfigMap limits =
        of(render(v -> v.set("functions.visibility", "ClusterLocal")), ConfigMap.class).get(0);

    assertThat(PlatformLimits.fromConfigMapData(limits.getData()).visibility())
        .isEqualTo(Visibility.CLUSTER_LOCAL);
  }

  @Test
  void theDomainsEachNamespaceMayHoldAreWrittenToTheLimitsAsTheOperatorReadsThem(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        functions:
          domains:
            "*": ["*.fn.example.com"]
            team-a: ["*.a.example.com", api.acme.io]
        """);
    ConfigMap limits = of(render(v -> v.withValuesFile(values)), ConfigMap.class).get(0);

    DomainPolicy read = PlatformLimits.fromConfigMapData(limits.getData()).domains();
    assertThat(read.allows("team-a", "api.acme.io")).isTrue();
    assertThat(read.allows("team-a", "shop.a.example.com")).isTrue();
    assertThat(read.allows("team-b", "shop.a.example.com")).isFalse();
    assertThat(read.allows("team-b", "x.fn.example.com")).isTrue();

    Files.writeString(values, "functions:\n  domains: {}\n");
    assertThat(
            PlatformLimits.fromConfigMapData(
                    of(render(v -> v.withValuesFile(values)), ConfigMap.class).get(0).getData())
                .domains()
                .allows("team-a", "api.acme.io"))
        .as("{}: none")
        .isFalse();
    Files.writeString(values, "functions:\n  domains: {Team_A: [api.acme.io]}\n");
    assertThatThrownBy(() -> render(v -> v.withValuesFile(values)))
        .hasMessageContaining("values don't meet the specifications of the schema");
    Files.writeString(values, "functions:\n  domains: {team-a: ['*']}\n");
    assertThatThrownBy(() -> render(v -> v.withValuesFile(values)))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void highAvailabilityIsTheDefault() {
    List<HasMetadata> objects = render(v -> v);
    assertThat(of(objects, Deployment.class))
        .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
    assertThat(of(objects, PodDisruptionBudget.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("kinetic-activator", "kinetic-dispatcher");
    assertThat(of(objects, PodDisruptionBudget.class))
        .allSatisfy(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
  }

  @Test
  void theDispatcherReadsTriggersAndFunctionsAndWritesOnlyTriggerStatusEventsAndItsLease() {
    List<HasMetadata> objects = render(v -> v);
    var cluster =
        of(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class).stream()
            .filter(r -> r.getMetadata().getName().equals("kinetic-dispatcher"))
            .findFirst()
            .orElseThrow();
    assertThat(cluster.getRules())
        .extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
        .containsExactlyInAnyOrder(
            "[kinetic.dev] [triggers, functions] [get, list, watch]",
            "[kinetic.dev] [triggers/status] [patch]",
            "[] [events] [create]");
    var role =
        of(objects, io.fabric8.kubernetes.api.model.rbac.Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("kinetic-dispatcher"))
            .findFirst()
            .orElseThrow();
    assertThat(role.getRules())
        .allSatisfy(r -> assertThat(r.getResources()).containsExactly("leases"))
        .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("kinetic-dispatcher"));
    Deployment dispatcher =
        of(objects, Deployment.class).stream()
            .filter(d -> d.getMetadata().getName().equals("kinetic-dispatcher"))
            .findFirst()
            .orElseThrow();
    assertThat(dispatcher.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("kinetic-dispatcher");
    assertThat(dispatcher.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("KINETIC_DISPATCHER_ACTIVATOR_URL");
              assertThat(e.getValue()).startsWith("http://kinetic-activator.");
            });
  }

  @Test
  void theDispatcherCanBeLeftOut() {
    List<HasMetadata> objects = render(v -> v.set("dispatcher.enabled", false));
    assertThat(objects).noneMatch(o -> o.getMetadata().getName().equals("kinetic-dispatcher"));
  }

  @Test
  void functionNamespacesGetANetworkPolicyAdmittingOnlyTheActivator() {
    List<NetworkPolicy> policies =
        of(
            render(v -> v.set("networkPolicy.functionNamespaces[0]", "team-a")),
            NetworkPolicy.class);
    assertThat(policies)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getMetadata().getNamespace()).isEqualTo("team-a");
              assertThat(
                      p.getSpec()
                          .getIngress()
                          .get(0)
                          .getFrom()
                          .get(0)
                          .getPodSelector()
                          .getMatchLabels())
                  .containsEntry("app.kubernetes.io/name", "kinetic-activator");
              assertThat(p.getSpec().getIngress()).as("no scraper named: none").hasSize(1);
            });
  }

  @Test
  void aScraperTheAdminNamesReachesFunctionPodsOnTheirMetricsPortOnly() {
    NetworkPolicy policy =
        of(
                render(
                    v ->
                        v.set("networkPolicy.functionNamespaces[0]", "team-a")
                            .set(
                                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels"
                                    + ".kubernetes\\.io/metadata\\.name",
                                "monitoring")),
                NetworkPolicy.class)
            .get(0);
    var scrape = policy.getSpec().getIngress().get(1);
    assertThat(scrape.getFrom())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring")));
    assertThat(scrape.getPorts())
        .singleElement()
        .satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("metrics"));
  }

  @Test
  void exposureAndMonitoringAreOffByDefault() {
    assertThat(render(v -> v))
        .extracting(HasMetadata::getKind)
        .doesNotContain("Ingress", "HTTPRoute", "ServiceMonitor", "PodMonitor");
  }

  @Test
  void anIngressOrHttpRouteSendsEverythingToTheActivatorsPublicPort() {
    List<HasMetadata> objects =
        render(
            v ->
                v.set("activator.ingress.enabled", true)
                    .set("activator.ingress.className", "nginx")
                    .set("activator.httpRoute.enabled", true)
                    .set("activator.httpRoute.gatewayName", "public")
                    .set("activator.httpRoute.gatewayNamespace", "gateways")
                    .set("activator.domain", "fn.example.com"));

    Ingress ingress = of(objects, Ingress.class).get(0);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend();
    assertThat(backend.getService().getName()).isEqualTo("kinetic-activator");
    // Not http: on the public port ClusterLocal functions do not exist.
    assertThat(backend.getService().getPort().getName()).isEqualTo("public");

    HTTPRoute route = of(objects, HTTPRoute.class).get(0);
    assertThat(route.getSpec().getParentRefs())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("public");
              assertThat(p.getNamespace()).isEqualTo("gateways");
            });
    // Gateway API wildcards match any depth: <function>.<namespace>.fn.example.com.
    assertThat(route.getSpec().getHostnames()).containsExactly("*.fn.example.com");
    assertThat(route.getSpec().getRules().get(0).getBackendRefs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getName()).isEqualTo("kinetic-activator");
              assertThat(r.getPort()).isEqualTo(8082);
            });
    Service activator = service(objects, "kinetic-activator");
    assertThat(activator.getSpec().getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(80);
            })
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("public");
              assertThat(p.getPort()).isEqualTo(8082);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("public");
            });
    // The container's port of that name is the one the activator serves as public.
    Deployment pods = deployment(objects, "kinetic-activator");
    assertThat(pods.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("public");
              assertThat(p.getContainerPort()).isEqualTo(8082);
            });
    assertThat(env(pods, "KINETIC_ACTIVATOR_PUBLIC_PORT")).isEqualTo("8082");
  }

  @Test
  void serviceMonitorsSelectTheServicesAndTheirMetricsPorts() {
    List<HasMetadata> objects =
        render(
            v ->
                v.set("metrics.serviceMonitor.enabled", true)
                    .set("metrics.serviceMonitor.labels.release", "prometheus"));
    List<GenericKubernetesResource> monitors =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .toList();

    assertThat(monitors).hasSize(2);
    for (GenericKubernetesResource monitor : monitors) {
      assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
      Service target = service(objects, monitor.getMetadata().getName());
      @SuppressWarnings("unchecked")
      Map<String, Object> spec =
          (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
      @SuppressWarnings("unchecked")
      Map<String, String> selector =
          (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
      assertThat(target.getMetadata().getLabels()).containsAllEntriesOf(selector);
      @SuppressWarnings("unchecked")
      Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
      assertThat(target.getSpec().getPorts())
          .extracting(io.fabric8.kubernetes.api.model.ServicePort::getName)
          .contains((String) endpoint.get("port"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPodMonitorScrapesEveryFunctionPodsMetricsPortInEveryNamespace() {
    GenericKubernetesResource monitor =
        render(
                v ->
                    v.set("metrics.serviceMonitor.enabled", true)
                        .set("metrics.serviceMonitor.labels.release", "prometheus"))
            .stream()
            .filter(o -> o.getKind().equals("PodMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .collect(
                java.util.stream.Collectors.collectingAndThen(
                    java.util.stream.Collectors.toList(), l -> l.get(0)));
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    assertThat(spec.get("namespaceSelector")).isEqualTo(Map.of("any", true));
    assertThat(((Map<String, Object>) spec.get("selector")).get("matchExpressions"))
        .isEqualTo(List.of(Map.of("key", "kinetic.dev/function", "operator", "Exists")));
    // The operator names the runtime's port so (FunctionDeployments.METRICS_PORT_NAME).
    assertThat((List<Map<String, Object>>) spec.get("podMetricsEndpoints"))
        .singleElement()
        .satisfies(
            e -> assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics"));
  }

  private static Service service(List<HasMetadata> objects, String name) {
    return of(objects, Service.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"functions.kinetic.dev-v1.yml", "triggers.kinetic.dev-v1.yml"})
  void theChartsCrdsAreTheGeneratedOnes(String crdFile) throws Exception {
    assertThat(Files.readString(CHART.resolve("crds").resolve(crdFile)))
        .as("helm/kinetic/crds is a copy of crds/: run make crds")
        .isEqualTo(Files.readString(ROOT.resolve("crds").resolve(crdFile)));
  }

  @Test
  void theGitOpsExamplesPointAtThisChartWithValuesItAccepts() throws Exception {
    Path gitops = ROOT.resolve("examples/gitops");
    var argo =
        YAML.unmarshal(
            Files.readString(gitops.resolve("argocd-application.yaml")),
            io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> source = (Map<String, Object>) argo.getAdditionalProperties().get("spec");
    source = (Map<String, Object>) source.get("source");
    assertThat(source).containsEntry("path", "helm/kinetic");
    assertThat(Files.readString(gitops.resolve("flux-helmrelease.yaml")))
        .contains("chart: ./helm/kinetic");

    // The values both set render.
    List<HasMetadata> objects =
        render(
            v ->
                v.set("limits.maxConcurrency", 100)
                    .set("limits.maxMemory", "1Gi")
                    .set("networkPolicy.functionNamespaces[0]", "default"));
    assertThat(of(objects, ConfigMap.class).get(0).getData())
        .containsEntry("maxConcurrency", "100");
  }

  @Test
  void theDocsSetOnlyValuesTheChartAcceptsAndNameObjectsItRenders() throws Exception {
    List<Path> docs = new ArrayList<>();
    try (var files = Files.list(ROOT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    docs.add(CHART.resolve("templates/NOTES.txt"));
    StringBuilder text = new StringBuilder();
    for (Path doc : docs) {
      text.append(Files.readString(doc)).append('\n');
    }
    java.util.regex.Matcher set =
        java.util.regex.Pattern.compile("--set\\s+'?([A-Za-z0-9_.\\[\\]]+)=([^\\s'\\\\]+)")
            .matcher(text);
    Map<String, String> values = new java.util.LinkedHashMap<>();
    while (set.find()) {
      values.put(set.group(1), set.group(2));
    }
    assertThat(values).as("the install and upgrade commands in docs/").isNotEmpty();

    List<HasMetadata> objects =
        render(
            v -> {
              values.forEach(
                  (key, value) -> {
                    if (value.startsWith("{") && value.endsWith("}")) {
                      // The helm CLI reads {a,b} as a list; helm-java's set passes strings on.
                      String[] items = value.substring(1, value.length() - 1).split(",");
                      for (int i = 0; i < items.length; i++) {
                        v.set(key + "[" + i + "]", items[i]);
                      }
                    } else {
                      v.set(key, value);
                    }
                  });
              return v;
            });

    assertThat(of(objects, ConfigMap.class).get(0).getData())
        .containsEntry("maxConcurrency", values.get("limits.maxConcurrency"));
    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile("\\b(svc|deploy|configmap)[/ ](kinetic-[a-z-]+)")
            .matcher(text);
    Map<String, String> kinds =
        Map.of("svc", "Service", "deploy", "Deployment", "configmap", "ConfigMap");
    int checked = 0;
    while (named.find()) {
      String kind = kinds.get(named.group(1));
      String name = named.group(2);
      assertThat(objects)
          .as(named.group() + " named in the docs")
          .anyMatch(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name));
      checked++;
    }
    assertThat(checked).as("objects the docs name").isPositive();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "operator.replicas, -1",
    "activator.replicas, 0",
    "limits.maxMemory, lots",
    "activator.unknownKey, 1",
    "activator.httpRoute.enabled, true",
    "metrics.serviceMonitor.interval, often",
    "activator.ingress.tls[0].hosts[0], x",
    "activator.transport, fast",
    "activator.seccompProfile.type, Unconfined",
    "activator.seccompProfile.type, Localhost",
    "activator.seccompProfile.localhostProfile, profiles/kinetic.json",
    "operator.nodeSelector, system",
    "activator.tolerations, dedicated",
    "dispatcher.priorityClassName, Critical",
    "image.pullSecrets[0].nam, mirror",
    "functions.nodeSelector.pool, -functions",
    "functions.tolerations[0].operator, In",
    "functions.tolerations[0].effect, NoRun",
    "functions.priorityClassName, High_Priority",
    "functions.visibility, Private",
    "activator.accessLog, yes",
  })
  void badValuesAreRejectedByTheSchema(String key, String value) {
    assertThatThrownBy(() -> render(v -> v.set(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  private static List<UnaryOperator<com.marcnuri.helm.TemplateCommand>> valueSets() {
    return List.of(
        v -> v,
        v -> v.set("operator.replicas", 1).set("activator.replicas", 5),
        v -> v.set("image.registry", "registry.example.com/platform").set("image.tag", "1.2.3"),
        v -> v.set("limits.maxReplicas", 20).set("networkPolicy.functionNamespaces[0]", "default"),
        v ->
            v.set("activator.ingress.enabled", true)
                .set("activator.httpRoute.enabled", true)
                .set("activator.httpRoute.gatewayName", "public")
                .set("metrics.serviceMonitor.enabled", true),
        v ->
            v.set("activator.transport", "io_uring")
                .set("activator.seccompProfile.type", "Localhost")
                .set("activator.seccompProfile.localhostProfile", "profiles/kinetic.json"),
        v ->
            v.set("image.pullSecrets[0].name", "mirror")
                .set("dispatcher.tolerations[0].operator", "Exists")
                .set("operator.priorityClassName", "system-cluster-critical"));
  }
}
