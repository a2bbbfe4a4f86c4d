package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.ScheduleSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerSpec;
import dev.kinetic.api.TriggerStatus;
import dev.kinetic.dispatcher.HttpEventSender;
import dev.kinetic.dispatcher.cluster.ClusterDispatcher;
import dev.kinetic.dispatcher.cluster.DispatcherSettings;
import dev.kinetic.dispatcher.kafka.KafkaBroker;
import dev.kinetic.dispatcher.kafka.KafkaStreams;
import dev.kinetic.dispatcher.kafka.KafkaTopics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two dispatcher replicas against the real kube-apiserver, each with the chart's RBAC for the
 * dispatcher (files/dispatcher-rbac.yaml), sending to an HTTP server that stands in for the
 * activator and records every event id it is sent, by path.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherIT {
  private static final String SYSTEM = "dispatcher-system";
  private static final String TEAM_A = "trig-a";
  private static final String TEAM_B = "trig-b";

  private static KubernetesClient admin;
  private static String kubeconfig;
  private static HttpServer activator;
  private static final List<String[]> received = new CopyOnWriteArrayList<>();
  private static final Map<String, Integer> answers = new ConcurrentHashMap<>();
  private static final Map<String, Integer> delaysMs = new ConcurrentHashMap<>();
  private static final ClusterDispatcher[] replicas = new ClusterDispatcher[2];
  private static final KubernetesClient[] clients = new KubernetesClient[2];

  @BeforeAll
  static void start() throws IOException {
    admin = SharedApiServer.admin();
    kubeconfig = ServiceAccountIdentity.dispatcher(admin, SYSTEM);
    ApiServer.createNamespace(admin, TEAM_A);
    ApiServer.createNamespace(admin, TEAM_B);
    activator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    activator.setExecutor(Executors.newFixedThreadPool(8));
    activator.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          int delay = delaysMs.getOrDefault(path, 0);
          if (delay > 0) {
            // A function that takes its time, so a stream is still going when a leader dies.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay));
          }
          received.add(
              new String[] {
                path,
                exchange.getRequestHeaders().getFirst("ce-id"),
                exchange.getRequestHeaders().getFirst("ce-kineticerror")
              });
          exchange.sendResponseHeaders(answers.getOrDefault(path, 200), -1);
          exchange.close();
        });
    activator.start();
    for (int i = 0; i < 2; i++) {
      clients[i] =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
      replicas[i] =
          ClusterDispatcher.start(
              clients[i],
              new DispatcherSettings(
                  URI.create("http://127.0.0.1:" + activator.getAddress().getPort()),
                  SYSTEM,
                  "replica-" + i,
                  "kinetic-dispatcher",
                  Duration.ofSeconds(4),
                  Duration.ofSeconds(3),
                  Duration.ofMillis(500),
                  Duration.ofMillis(250),
                  0,
                  100,
                  KafkaStreams.Settings.DEFAULTS),
              new HttpEventSender(
                  URI.create("http://127.0.0.1:" + activator.getAddress().getPort())),
              new SimpleMeterRegistry(),
              Clock.systemUTC());
    }
    function(TEAM_A, "sink");
    function(TEAM_A, "refuses");
    answers.put("/" + TEAM_A + "/refuses/", 400);
  }

  @AfterAll
  static void stop() {
    for (int i = 0; i < 2; i++) {
      if (replicas[i] != null) {
        replicas[i].close();
        clients[i].close();
      }
    }
    if (activator != null) {
      activator.stop(0);
    }
  }

  @Test
  @Order(1)
  void twoReplicasDeliverEachScheduledTimeOnceAndOneOfThemLeads() {
    Trigger trigger = create(TEAM_A, "every-second", "sink", "* * * * * *");
    String uid = trigger.getMetadata().getUid();

    await().atMost(Duration.ofSeconds(60)).until(() -> ids(uid).size() >= 30);

    List<String> ids = ids(uid);
    long distinct = ids.stream().distinct().count();
    System.out.printf(
        "two replicas: %d deliveries, %d distinct ids, leader replica-%d%n",
        ids.size(), distinct, replicas[0].isLeader() ? 0 : 1);
    assertThat(ids).as("an id delivered twice").doesNotHaveDuplicates();
    assertThat(replicas[0].isLeader() ^ replicas[1].isLeader()).as("exactly one leads").isTrue();
    assertThat(received)
        .filteredOn(r -> r[1].startsWith(uid))
        .allSatisfy(r -> assertThat(r[0]).isEqualTo("/" + TEAM_A + "/sink/"));
  }

  @Test
  @Order(2)
  void theStatusTellsTheConditionTheTimesAndTheCounts() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              TriggerStatus status = get(TEAM_A, "every-second").getStatus();
              assertThat(status).isNotNull();
              assertThat(ready(status))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("True", "Scheduled");
              assertThat(status.getDelivered()).isGreaterThanOrEqualTo(30);
              assertThat(status.getFailed()).isZero();
              assertThat(status.getLastFireTime()).endsWith("Z");
              assertThat(status.getNextFireTime()).endsWith("Z");
              assertThat(Instant.parse(status.getLastSuccessfulTime()))
                  .isBeforeOrEqualTo(Instant.parse(status.getLastFireTime()));
              assertThat(status.getObservedGeneration()).isEqualTo(1L);
            });
  }

  @Test
  @Order(3)
  void anEventRefusedWithA400IsCountedFailedAndRecordedAsAKubernetesEvent() {
    Trigger trigger = create(TEAM_A, "refused", "refuses", "* * * * * *");
    String uid = trigger.getMetadata().getUid();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TriggerStatus status = get(TEAM_A, "refused").getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getFailed()).isGreaterThanOrEqualTo(2);
              assertThat(status.getDelivered()).isZero();
            });
    assertThat(ids(uid)).as("a 400 is final: one attempt per event").doesNotHaveDuplicates();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<Event> events =
                  admin.v1().events().inNamespace(TEAM_A).list().getItems().stream()
                      .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
                      .toList();
              assertThat(events).isNotEmpty();
              assertThat(events.get(0).getReason()).isEqualTo("DeliveryFailed");
              assertThat(events.get(0).getType()).isEqualTo("Warning");
              assertThat(events.get(0).getMessage())
                  .startsWith("event " + uid + "/")
                  .contains("to function refuses failed: answered 400");
            });
    admin.resource(trigger).delete();
  }

  @Test
  @Order(4)
  void anEventGivenUpOnReachesTheDeadLetterFunctionWithWhyAndIsCounted() {
    function(TEAM_A, "failed-reports");
    Trigger trigger = trigger(TEAM_A, "dead-lettered", "refuses", "* * * * * *");
    DeliverySpec delivery = new DeliverySpec();
    delivery.setDeadLetterFunction("failed-reports");
    trigger.getSpec().setDelivery(delivery);
    String uid = admin.resource(trigger).create().getMetadata().getUid();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TriggerStatus status = get(TEAM_A, "dead-lettered").getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getDeadLettered()).isGreaterThanOrEqualTo(2);
              assertThat(status.getFailed()).isGreaterThanOrEqualTo(status.getDeadLettered());
              assertThat(ready(status).getReason()).isEqualTo("Scheduled");
            });
    List<String[]> dead =
        received.stream()
            .filter(r -> r[1] != null && r[1].startsWith(uid + "/"))
            .filter(r -> r[0].equals("/" + TEAM_A + "/failed-reports/"))
            .toList();
    assertThat(dead).isNotEmpty();
    assertThat(dead)
        .allSatisfy(r -> assertThat(r[2]).isEqualTo("answered 400, a final answer (not retried)"));
    for (String[] letter : dead) {
      assertThat(received)
          .as("%s: a 400 is final, one attempt before the dead letter", letter[1])
          .filteredOn(r -> letter[1].equals(r[1]) && r[0].equals("/" + TEAM_A + "/refuses/"))
          .hasSize(1);
    }
    admin.resource(trigger).delete();
  }

  @Test
  @Order(5)
  void aScheduleOrTimeZoneThatDoesNotParseIsReportedByName() {
    create(TEAM_A, "bad-cron", "sink", "61 * * * *");
    Trigger badZone = trigger(TEAM_A, "bad-zone", "sink", "0 * * * *");
    badZone.getSpec().getSchedule().setTimeZone("Mars/Olympus");
    admin.resource(badZone).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(ready(get(TEAM_A, "bad-cron").getStatus()))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("False", "InvalidSchedule");
              assertThat(ready(get(TEAM_A, "bad-cron").getStatus()).getMessage())
                  .contains("'61 * * * *'");
              assertThat(ready(get(TEAM_A, "bad-zone").getStatus()))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("False", "InvalidTimeZone");
            });
  }

  @Test
  @Order(6)
  void aSuspendedTriggerSaysSoLosesItsNextFireTimeSendsNothingAndResumes() {
    Trigger trigger = create(TEAM_A, "pausable", "sink", "* * * * * *");
    String uid = trigger.getMetadata().getUid();
    await().atMost(Duration.ofSeconds(15)).until(() -> ids(uid).size() >= 2);

    suspend("pausable", true);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              TriggerStatus status = get(TEAM_A, "pausable").getStatus();
              assertThat(ready(status))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("True", "Suspended");
              // Written by a merge patch: a field the dispatcher no longer sets must be removed.
              assertThat(status.getNextFireTime()).as("no next fire while suspended").isNull();
              assertThat(status.getLastFireTime()).endsWith("Z");
            });
    int sent = ids(uid).size();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ids(uid).size() == sent);

    suspend("pausable", false);
    await().atMost(Duration.ofSeconds(15)).until(() -> ids(uid).size() >= sent + 2);
    assertThat(ids(uid)).doesNotHaveDuplicates();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              TriggerStatus status = get(TEAM_A, "pausable").getStatus();
              assertThat(ready(status).getReason()).isEqualTo("Scheduled");
              assertThat(status.getNextFireTime()).endsWith("Z");
              assertThat(status.getDelivered()).isGreaterThanOrEqualTo(sent + 2L);
            });
    admin.resource(trigger).delete();
  }

  @Test
  @Order(7)
  void aTriggerNeverDeliversToAFunctionInAnotherNamespaceAndFindsItsOwnWhenItAppears() {
    // team-b names "sink", which exists only in team-a.
    Trigger trigger = create(TEAM_B, "cross", "sink", "* * * * * *");
    String uid = trigger.getMetadata().getUid();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ready(get(TEAM_B, "cross").getStatus()))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "FunctionNotFound"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Optional.ofNullable(get(TEAM_B, "cross").getStatus().getSkipped()).orElse(0L) >= 2);
    assertThat(ids(uid)).as("nothing sent anywhere").isEmpty();

    function(TEAM_B, "sink");
    await().atMost(Duration.ofSeconds(15)).until(() -> !ids(uid).isEmpty());
    assertThat(received)
        .filteredOn(r -> r[1].startsWith(uid))
        .allSatisfy(r -> assertThat(r[0]).isEqualTo("/" + TEAM_B + "/sink/"));
    assertThat(ready(get(TEAM_B, "cross").getStatus()).getReason()).isEqualTo("Scheduled");
    admin.resource(trigger).delete();
  }

  @Test
  @Order(8)
  void whenTheLeaderStopsTheOtherReplicaTakesOverWithoutFiringATimeTwice() {
    String uid = get(TEAM_A, "every-second").getMetadata().getUid();
    int leader = replicas[0].isLeader() ? 0 : 1;
    int before = ids(uid).size();

    replicas[leader].close();
    await().atMost(Duration.ofSeconds(15)).until(() -> replicas[1 - leader].isLeader());
    await().atMost(Duration.ofSeconds(15)).until(() -> ids(uid).size() >= before + 5);

    List<String> ids = ids(uid);
    List<java.time.Instant> times =
        ids.stream()
            .map(id -> java.time.Instant.parse(id.substring(uid.length() + 1)))
            .sorted()
            .toList();
    long span = Duration.between(times.get(0), times.get(times.size() - 1)).toSeconds() + 1;
    System.out.printf(
        "after the leader stopped: %d deliveries in all, %d distinct, %d of %d seconds not fired"
            + " (the handover)%n",
        ids.size(), ids.stream().distinct().count(), span - times.size(), span);
    assertThat(ids).as("an id delivered twice across the handover").doesNotHaveDuplicates();
  }

  @Test
  @Order(9)
  void whenTheLeadersProcessIsKilledTheOtherTakesOverWithinTheLeaseAndFiresNoTimeTwice()
      throws Exception {
    for (int i = 0; i < 2; i++) {
      replicas[i].close();
    }
    String uid = get(TEAM_A, "every-second").getMetadata().getUid();
    Path config = Files.createTempFile(Path.of("target"), "kinetic-dispatcher-", ".kubeconfig");
    Files.writeString(config, kubeconfig);
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        processes.add(dispatcherProcess(config, "process-" + i));
      }
      String leader =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(DispatcherIT::leaseHolder, h -> h != null && h.startsWith("process-"));
      int before = ids(uid).size();
      await().atMost(Duration.ofSeconds(30)).until(() -> ids(uid).size() >= before + 5);

      // SIGKILL: no status flush, no release of the Lease.
      Process killed = processes.get(leader.equals("process-0") ? 0 : 1);
      killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long killedAt = System.nanoTime();
      String next =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(DispatcherIT::leaseHolder, h -> h != null && !h.equals(leader));
      int atTakeover = ids(uid).size();
      await().atMost(Duration.ofSeconds(30)).until(() -> ids(uid).size() >= atTakeover + 5);

      List<String> ids = ids(uid);
      List<java.time.Instant> times =
          ids.stream()
              .map(id -> java.time.Instant.parse(id.substring(uid.length() + 1)))
              .distinct()
              .sorted()
              .toList();
      long span = Duration.between(times.get(0), times.get(times.size() - 1)).toSeconds() + 1;
      System.out.printf(
          "leader %s SIGKILLed: %s leads after %d ms; %d deliveries, %d distinct; %d of %d seconds"
              + " not fired (the lease running out, 4 s)%n",
          leader,
          next,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt),
          ids.size(),
          ids.stream().distinct().count(),
          span - times.size(),
          span);
      assertThat(ids).as("an id delivered twice across the crash").doesNotHaveDuplicates();
      assertThat(span - times.size())
          .as("seconds lost to the crash: the lease (4 s) and a retry or two, never more")
          .isLessThanOrEqualTo(8);
    } finally {
      for (Process p : processes) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(10)
  void whenTheLeaderIsKilledMidStreamAKafkaTriggerLosesNoRecordAndRepeatsAtMostItsInFlightBound(
      @org.junit.jupiter.api.io.TempDir Path brokerDir) throws Exception {
    for (int i = 0; i < 2; i++) {
      replicas[i].close();
    }
    KafkaBroker broker = KafkaBroker.start(brokerDir);
    Path config = Files.createTempFile(Path.of("target"), "kinetic-dispatcher-", ".kubeconfig");
    Files.writeString(config, kubeconfig);
    List<Process> processes = new ArrayList<>();
    try (KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      java.util.Set<String> produced =
          topics.produce(topics.topic("stream", 6), 3_000, i -> "k" + (i % 60));
      // Hard limit 10 on at most 2 pods: 20 records in flight at most, the bound on duplicates.
      Function sink = new Function();
      sink.setMetadata(new ObjectMetaBuilder().withNamespace(TEAM_A).withName("stream").build());
      FunctionSpec fs = new FunctionSpec();
      fs.setImage("example.com/stream:1");
      dev.kinetic.api.ConcurrencySpec concurrency = new dev.kinetic.api.ConcurrencySpec();
      concurrency.setHard(10);
      fs.setConcurrency(concurrency);
      dev.kinetic.api.ScaleSpec scale = new dev.kinetic.api.ScaleSpec();
      scale.setMax(2);
      fs.setScale(scale);
      sink.setSpec(fs);
      admin.resource(sink).create();
      delaysMs.put("/" + TEAM_A + "/stream/", 5);
      // The SCRAM credentials in a Secret of the Trigger's namespace, read with the chart's RBAC.
      admin
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(TEAM_A)
                  .withName("stream-kafka")
                  .endMetadata()
                  .addToStringData("username", KafkaBroker.USER)
                  .addToStringData("password", KafkaBroker.PASSWORD)
                  .build())
          .create();
      Trigger trigger = new Trigger();
      trigger.setMetadata(new ObjectMetaBuilder().withNamespace(TEAM_A).withName("stream").build());
      TriggerSpec spec = new TriggerSpec();
      spec.setFunction("stream");
      dev.kinetic.api.KafkaSpec kafka = new dev.kinetic.api.KafkaSpec();
      kafka.setBootstrapServers(broker.saslBootstrapServers());
      kafka.setTopics(List.of("stream"));
      kafka.setInitialOffset(dev.kinetic.api.KafkaSpec.EARLIEST);
      kafka.setOrdering(dev.kinetic.api.KafkaSpec.UNORDERED);
      dev.kinetic.api.KafkaAuthSpec auth = new dev.kinetic.api.KafkaAuthSpec();
      dev.kinetic.api.KafkaAuthSpec.Sasl sasl = new dev.kinetic.api.KafkaAuthSpec.Sasl();
      sasl.setMechanism(dev.kinetic.api.KafkaAuthSpec.SCRAM_SHA_512);
      sasl.setSecret("stream-kafka");
      auth.setSasl(sasl);
      kafka.setAuth(auth);
      spec.setKafka(kafka);
      trigger.setSpec(spec);
      admin.resource(trigger).create();

      for (int i = 0; i < 2; i++) {
        processes.add(dispatcherProcess(config, "kafka-" + i));
      }
      String leader =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(DispatcherIT::leaseHolder, h -> h != null && h.startsWith("kafka-"));
      // The chart's RBAC reads no Secret until the admin lists the namespace.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition ready = ready(get(TEAM_A, "stream").getStatus());
                assertThat(ready.getReason()).isEqualTo("SecretNotFound");
                assertThat(ready.getMessage()).contains("HTTP 403");
              });
      grantSecrets(TEAM_A);
      await().atMost(Duration.ofSeconds(60)).until(() -> streamIds().size() >= 600);

      // SIGKILL mid-stream: no commit on the way out, no release of the Lease.
      processes
          .get(leader.equals("kafka-0") ? 0 : 1)
          .destroyForcibly()
          .waitFor(10, TimeUnit.SECONDS);
      int atKill = streamIds().size();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> new java.util.HashSet<>(streamIds()).containsAll(produced));

      List<String> ids = streamIds();
      long distinct = ids.stream().distinct().count();
      System.out.printf(
          "Kafka Trigger, leader SIGKILLed after %d of %d records: %d deliveries, %d distinct,"
              + " lost %d, %d duplicates (bound 20)%n",
          atKill,
          produced.size(),
          ids.size(),
          distinct,
          produced.size() - distinct,
          ids.size() - distinct);
      assertThat(new java.util.HashSet<>(ids)).isEqualTo(produced);
      assertThat(ids.size() - distinct).as("duplicates").isLessThanOrEqualTo(20);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                TriggerStatus status = get(TEAM_A, "stream").getStatus();
                assertThat(ready(status).getReason()).isEqualTo("Consuming");
                assertThat(status.getLag()).isZero();
              });
    } finally {
      for (Process p : processes) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      broker.close();
    }
  }

  /** What the chart's dispatcher.secretNamespaces makes for a namespace (templates/rbac.yaml). */
  private static void grantSecrets(String namespace) {
    admin
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName("kinetic-dispatcher-secrets")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withVerbs("get")
                .endRule()
                .build())
        .create();
    admin
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName("kinetic-dispatcher-secrets")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "kinetic-dispatcher-secrets")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("kinetic-dispatcher")
                .withNamespace(SYSTEM)
                .endSubject()
                .build())
        .create();
  }

  private static List<String> streamIds() {
    return received.stream()
        .filter(r -> r[0].equals("/" + TEAM_A + "/stream/"))
        .map(r -> r[1])
        .toList();
  }

  /** The packaged dispatcher, as its image runs it, with the dispatcher's ServiceAccount. */
  private static Process dispatcherProcess(Path kubeconfigFile, String name) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-jar",
                Repository.root().resolve("operator/dispatcher/target/dispatcher.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    Files.createTempFile(Path.of("target"), "kinetic-" + name + "-", ".log")
                        .toFile()));
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfigFile.toString());
    env.put("KINETIC_DISPATCHER_NAMESPACE", SYSTEM);
    env.put("KINETIC_DISPATCHER_POD_NAME", name);
    env.put(
        "KINETIC_DISPATCHER_ACTIVATOR_URL", "http://127.0.0.1:" + activator.getAddress().getPort());
    env.put("KINETIC_DISPATCHER_LEASE_DURATION", "4s");
    env.put("KINETIC_DISPATCHER_RENEW_DEADLINE", "3s");
    env.put("KINETIC_DISPATCHER_RETRY_PERIOD", "500ms");
    env.put("KINETIC_DISPATCHER_ADMIN_PORT", "0");
    return builder.start();
  }

  private static String leaseHolder() {
    var lease = admin.leases().inNamespace(SYSTEM).withName("kinetic-dispatcher").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static List<String> ids(String uid) {
    return received.stream().map(r -> r[1]).filter(id -> id.startsWith(uid + "/")).toList();
  }

  private static Condition ready(TriggerStatus status) {
    assertThat(status).isNotNull();
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static void suspend(String name, boolean suspend) {
    admin
        .resources(Trigger.class)
        .inNamespace(TEAM_A)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
  }

  private static Trigger get(String namespace, String name) {
    return admin.resources(Trigger.class).inNamespace(namespace).withName(name).get();
  }

  private static Trigger create(String namespace, String name, String function, String cron) {
    return admin.resource(trigger(namespace, name, function, cron)).create();
  }

  private static Trigger trigger(String namespace, String name, String function, String cron) {
    Trigger trigger = new Trigger();
    trigger.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    TriggerSpec spec = new TriggerSpec();
    spec.setFunction(function);
    ScheduleSpec schedule = new ScheduleSpec();
    schedule.setCron(cron);
    spec.setSchedule(schedule);
    trigger.setSpec(spec);
    return trigger;
  }

  private static void function(String namespace, String name) {
    Function f = new Function();
    f.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    FunctionSpec spec = new FunctionSpec();
    spec.setImage("example.com/" + name + ":1");
    f.setSpec(spec);
    admin.resource(f).create();
  }
}
