package dev.kinetic.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodEventReporterTest {
  KubernetesClient client;
  KubernetesMockServer server;

  private final Clock clock = Clock.fixed(PodEvictionsTest.EVICTED.plusSeconds(10), ZoneOffset.UTC);
  private final Function hello = Functions.function("hello", "img:1");

  @Test
  void eachEvictedPodIsReportedOnceHoweverOftenAndByWhomeverItIsSeen() {
    Pod evicted = PodEvictionsTest.evicted("hello-abc", "u1");
    Pod running = PodEvictionsTest.evicted("hello-def", "u2");
    running.getStatus().setPhase("Running");
    running.getStatus().setReason(null);
    PodEventReporter reporter = new PodEventReporter(clock);

    reporter.report(client, hello, List.of(evicted, running));
    int afterFirst = server.getRequestCount();
    reporter.report(client, hello, List.of(evicted, running));
    assertThat(server.getRequestCount()).as("a reported pod costs no call").isEqualTo(afterFirst);
    // Another replica, or this one after a restart: the Event exists, the create is refused.
    new PodEventReporter(clock).report(client, hello, List.of(evicted));

    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .singleElement()
        .extracting(Event::getReason, e -> e.getInvolvedObject().getName())
        .containsExactly("PodEvicted", "hello");
  }

  @Test
  void eachRestartOfAContainerIsReportedOnce() {
    Pod pod = ContainerRestartsTest.restarted("hello-abc", "u1", 1, "OOMKilled", 137);
    PodEventReporter reporter = new PodEventReporter(clock);

    reporter.report(client, hello, List.of(pod));
    reporter.report(client, hello, List.of(pod));
    Pod again = ContainerRestartsTest.restarted("hello-abc", "u1", 2, "Error", 1);
    reporter.report(client, hello, List.of(again));

    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder(
            "container function of pod hello-abc ended with exit code 137 (OOMKilled) and was"
                + " restarted (restart 1): it used more memory than its limit; raise"
                + " resources.limits.memory. Requests in flight on it failed.",
            "container function of pod hello-abc ended with exit code 1 (Error) and was restarted"
                + " (restart 2): its log before the restart says why (kubectl logs --previous)."
                + " Requests in flight on it failed.");
  }
}
