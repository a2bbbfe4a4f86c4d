package dev.kinetic.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.api.ScaleSpec;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler in the operator against the fabric8 mock API server: demand signals over HTTP,
 * activator stats collected from the replicas an EndpointSlice lists (a real HTTP server here), and
 * the writes that follow (scale, the Deployment's reason annotation, the Function's status, an
 * Event).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AutoscalerOnMockServerTest {
  private static final String NS = "test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  @TestHTTPResource(DemandRoute.PATH)
  URI demandUrl;

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer activator;

  @BeforeEach
  @AfterEach
  void clean() {
    if (activator != null) {
      activator.stop(0);
    }
    client.resources(Function.class).inNamespace(NS).delete();
    client.apps().deployments().inNamespace(NS).delete();
    client.services().inNamespace(NS).delete();
    client.v1().events().inNamespace(NS).delete();
    client.discovery().v1().endpointSlices().inNamespace(NS).delete();
    await()
        .atMost(WAIT)
        .until(() -> client.resources(Function.class).inNamespace(NS).list().getItems().isEmpty());
  }

  @Test
  void aDemandSignalScalesAFunctionAtZeroAndIsReportedInStatusAndAnEvent() throws Exception {
    aDemandAtZeroIsScaled("cold");
    FunctionStatus status =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    client
                        .resources(Function.class)
                        .inNamespace(NS)
                        .withName("cold")
                        .get()
                        .getStatus(),
                // Not any reason: the creation's is there from the start.
                s ->
                    s != null
                        && s.getLastScaleReason() != null
                        && !s.getLastScaleReason().startsWith("created"));
    assertThat(status.getDesiredReplicas()).isEqualTo(1);
    assertThat(status.getLastScaleReason()).contains("3 requests waiting at zero pods");
    assertThat(status.getLastScaleTime()).isNotBlank();
    List<Event> events =
        await()
            .atMost(WAIT)
            .until(() -> client.v1().events().inNamespace(NS).list().getItems(), l -> !l.isEmpty());
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("ScaledUp");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Function");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("cold");
              assertThat(e.getMessage()).startsWith("scaled from 0 to 1: ");
            });

    HttpResponse<String> again = demand("{\"namespace\":\"test\",\"name\":\"cold\",\"waiting\":3}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("ALREADY_RUNNING");
  }

  @Test
  void badDemandsGetA4xxWithAJsonBodyAndScaleNothing() throws Exception {
    client.resource(Functions.function("cold", "img:1")).create();
    awaitReplicas("cold", 0);

    for (String body :
        List.of(
            "not json",
            "[1,2]",
            "{\"namespace\":\"test\",\"name\":\"cold\"}",
            "{\"namespace\":\"test\",\"name\":\"cold\",\"waiting\":0}",
            "{\"namespace\":\"\",\"name\":\"cold\",\"waiting\":1}",
            "{\"namespace\":\"test\",\"name\":7,\"waiting\":1}")) {
      HttpResponse<String> answer = demand(body);
      assertThat(answer.statusCode()).as(body).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(answer.body()).as(body).contains("\"error\":\"bad demand: ");
    }
    HttpResponse<String> unknown =
        demand("{\"namespace\":\"test\",\"name\":\"nobody\",\"waiting\":1}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no function test/nobody");
    HttpResponse<String> huge = demand("{\"pad\":\"" + "x".repeat(10_000) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);

    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("cold")
                .get()
                .getSpec()
                .getReplicas())
        .isZero();
  }

  @Test
  void concurrencyFromTheActivatorsScalesUpAndMissingStatsHoldTheScale() throws Exception {
    AtomicReference<String> stats =
        new AtomicReference<>(
            "{\"functions\":[{\"namespace\":\"test\",\"name\":\"busy\",\"averageConcurrency\":35.0}]}");
    java.util.concurrent.atomic.AtomicInteger scrapes =
        new java.util.concurrent.atomic.AtomicInteger();
    serveStats(stats, scrapes);
    Function busy = Functions.function("busy", "img:1");
    ScaleSpec scale = new ScaleSpec();
    scale.setInitial(1);
    busy.getSpec().setScale(scale);
    busy.getSpec().setConcurrency(new dev.kinetic.api.ConcurrencySpec(null, 10));
    client.resource(busy).create();

    // 35 concurrent at target 10 x 70% utilization: 5 pods.
    awaitReplicas("busy", 5);

    // The activator goes down for longer than the 5 s after which data counts as missing: the
    // scale holds (a partial or absent sample must never read as "no traffic").
    stats.set(null);
    int hitsAtOutage = scrapes.get();
    await().atMost(WAIT).until(() -> scrapes.get() >= hitsAtOutage + 8);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("busy")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(5);
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .extracting(Event::getReason)
        .containsOnly("ScaledUp");
  }

  @Test
  void activatorsThatStreamWithoutEndOrAnswerLateNeitherBlockDemandNorGrowMemory()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    // Anything may answer on an activator's port: here one stream that never ends...
    EndlessStats endless = new EndlessStats();
    // ... and one that answers after 10 s.
    HttpServer late = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    late.setExecutor(Executors.newCachedThreadPool());
    late.createContext(
        "/stats",
        exchange -> {
          try {
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    late.start();
    try {
      listActivators(endless.port(), late.getAddress().getPort());

      aDemandAtZeroIsScaled("cold");
      await().atMost(WAIT).until(() -> endless.cut.getCount() == 0);
      // 8 MiB read at most; the rest is what the sockets' buffers took before the cut.
      assertThat(endless.sent.get()).isLessThan(64L << 20);
    } finally {
      release.countDown();
      late.stop(0);
      endless.close();
    }
  }

  /** A new Function at zero, a demand signal for 3 waiting requests: SCALED, and one pod asked. */
  private void aDemandAtZeroIsScaled(String name) throws Exception {
    client.resource(Functions.function(name, "img:1")).create();
    awaitReplicas(name, 0);

    HttpResponse<String> answer =
        demand("{\"namespace\":\"test\",\"name\":\"" + name + "\",\"waiting\":3}");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("SCALED");
    awaitReplicas(name, 1);
  }

  /** An EndpointSlice of the activators' Service listing one ready endpoint per admin port. */
  @Test
  void requestsPerSecondFromTheActivatorsScaleAFunctionWithARateTarget() throws Exception {
    // 2 concurrent want 1 pod at target 10; 210 requests/s at 50 a pod x 70% want 6.
    serveStats(
        new AtomicReference<>(
            "{\"functions\":[{\"namespace\":\"test\",\"name\":\"fast\","
                + "\"averageConcurrency\":2.0,\"requestsPerSecond\":210.0}]}"),
        new java.util.concurrent.atomic.AtomicInteger());
    Function fast = Functions.function("fast", "img:1");
    ScaleSpec scale = new ScaleSpec();
    scale.setInitial(1);
    scale.setTargetRequestsPerSecond(50);
    fast.getSpec().setScale(scale);
    fast.getSpec().setConcurrency(new dev.kinetic.api.ConcurrencySpec(null, 10));
    client.resource(fast).create();

    awaitReplicas("fast", 6);
    // The reason is a second write after the scale's (DeploymentScaling): CI once read the
    // creation's reason between the two.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("fast")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .hasEntrySatisfying(
                        "autoscaling.kinetic.dev/last-scale-reason",
                        reason -> assertThat(reason).contains("210.0 requests/s")));
  }

  /** One activator, listed in the EndpointSlices, serving {@code stats} (500 while it is null). */
  private void serveStats(
      AtomicReference<String> stats, java.util.concurrent.atomic.AtomicInteger scrapes)
      throws IOException {
    activator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    activator.createContext(
        "/stats",
        exchange -> {
          scrapes.incrementAndGet();
          String body = stats.get();
          int code = body == null ? 500 : 200;
          byte[] bytes = (body == null ? "down" : body).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(code, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    activator.start();
    listActivators(activator.getAddress().getPort());
  }

  private void listActivators(int... adminPorts) {
    for (int i = 0; i < adminPorts.length; i++) {
      client.resource(ActivatorSlice.listing("kinetic-activator-" + i, NS, adminPorts[i])).create();
    }
  }

  private void awaitReplicas(String name, int replicas) {
    await()
        .atMost(WAIT)
        .until(
            () -> client.apps().deployments().inNamespace(NS).withName(name).get(),
            (Deployment d) -> d != null && d.getSpec().getReplicas() == replicas);
  }

  private HttpResponse<String> demand(String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(demandUrl)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
