package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.FunctionKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules end to end in local mode: a Trigger manifest beside a Function's, the real dispatcher
 * firing every second through the real activator to a real process, which counts each event's
 * attempts (test resource event-sink/sink.py) and answers as its environment says.
 */
class LocalTriggersIT {
  private static final FunctionKey SINK = new FunctionKey("default", "sink");
  private static final Pattern EVENT =
      Pattern.compile(
          "\\[default/sink pod-\\d+] event id=(\\S+) type=(\\S+) time=(\\S+) attempt=(\\d+)"
              + " answered=(\\d+) data=(.*)");

  @TempDir Path dir;
  private LocalPlatform platform;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    if (platform != null) {
      System.out.println(platform.status());
      platform.close();
    }
    // What local mode printed: the function's own lines among them, for a failure's story.
    logs.toString()
        .lines()
        .skip(Math.max(0, logs.toString().lines().count() - 40))
        .forEach(System.out::println);
  }

  @Test
  void anEverySecondScheduleDeliversOncePerSecondWithDistinctIdsToAFunctionAtZero()
      throws Exception {
    start(sink(NO_ENV));
    assertThat(platform.pods(SINK).running()).as("min 0: nothing runs before an event").isZero();

    Instant from = Instant.now();
    Files.writeString(
        dir.resolve("trigger.yaml"),
        trigger("").replace("* * * * * *\"", "* * * * * *\"\n    payload: {report: daily}"));
    reload();
    // Ten seconds of schedule from the moment the dispatcher has the Trigger, then it is removed;
    // what was fired is then delivered.
    Instant until = Instant.now().plusSeconds(10);
    await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(until));
    Files.delete(dir.resolve("trigger.yaml"));
    reload();
    await().atMost(Duration.ofSeconds(5)).until(() -> triggers().isEmpty());
    // Whatever was fired before the removal is answered: the count stops moving.
    int[] seen = {-1};
    await()
        .atMost(Duration.ofSeconds(15))
        .during(Duration.ofSeconds(2))
        .until(
            () -> {
              int now = events().size();
              boolean same = now == seen[0];
              seen[0] = now;
              return same;
            });

    List<Event> events = events();
    System.out.printf(
        "every-second schedule for 10 s up to %s: %d deliveries, scheduled %s to %s%n",
        until,
        events.size(),
        events.isEmpty() ? "-" : events.get(0).time(),
        events.isEmpty() ? "-" : events.get(events.size() - 1).time());
    assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(events).hasSizeBetween(9, 11);
    assertThat(events).allSatisfy(e -> assertThat(e.answered()).isEqualTo(200));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.type()).isEqualTo("dev.kinetic.trigger.schedule"));
    assertThat(events).allSatisfy(e -> assertThat(e.data()).isEqualTo("{\"report\":\"daily\"}"));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.id()).isEqualTo("local:default/every-second/" + e.time()));
    // Consecutive seconds: none skipped, none twice.
    List<Instant> times = events.stream().map(e -> Instant.parse(e.time())).sorted().toList();
    for (int i = 1; i < times.size(); i++) {
      assertThat(Duration.between(times.get(i - 1), times.get(i))).isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(platform.pods(SINK).crashes()).isZero();
    assertThat(logs.toString()).doesNotContain("failed:");
  }

  @Test
  void anEventRefusedTwiceIsDeliveredOnTheThirdAttemptAfterBackOff() throws Exception {
    start(sink("[{name: FAIL_FIRST, value: \"2\"}]"));
    Files.writeString(
        dir.resolve("trigger.yaml"),
        trigger("delivery: {retries: 3, minBackoff: 200ms, maxBackoff: 1s}"));
    reload();

    await().atMost(Duration.ofSeconds(30)).until(() -> count("delivered") >= 1);
    String first = events().get(0).id();
    List<Event> attempts = events().stream().filter(e -> e.id().equals(first)).toList();
    System.out.printf("event %s: %s%n", first, attempts);
    assertThat(attempts).extracting(Event::attempt).containsExactly(1, 2, 3);
    assertThat(attempts).extracting(Event::answered).containsExactly(503, 503, 200);
    assertThat(count("failed")).isZero();
  }

  @Test
  void anEventAnswered400IsTriedOnceAndCountedFailed() throws Exception {
    start(sink("[{name: ANSWER, value: \"400\"}]"));
    Files.writeString(
        dir.resolve("trigger.yaml"),
        trigger("delivery: {retries: 3, minBackoff: 200ms, maxBackoff: 1s}"));
    reload();

    await().atMost(Duration.ofSeconds(30)).until(() -> count("failed") >= 3);
    assertThat(events()).extracting(Event::attempt).containsOnly(1);
    assertThat(count("delivered")).isZero();
    assertThat(logs.toString())
        .contains("[default/every-second] event local:default/every-second/")
        .contains("failed: answered 400, a final answer (not retried)");
    Map<String, Object> ready = condition();
    assertThat(ready).containsEntry("status", "True").containsEntry("reason", "Scheduled");
  }

  @Test
  void aTriggerForAFunctionThatIsNotThereIsReportedAndFiresOnceItIs() throws Exception {
    start(sink(NO_ENV));
    Files.writeString(
        dir.resolve("trigger.yaml"), trigger("").replace("function: sink", "function: later"));
    reload();
    await().atMost(Duration.ofSeconds(10)).until(() -> count("skipped") >= 1);
    assertThat(condition())
        .containsEntry("status", "False")
        .containsEntry("reason", "FunctionNotFound");
    assertThat(events()).isEmpty();

    Files.writeString(dir.resolve("later.yaml"), sink(NO_ENV).replace("name: sink", "name: later"));
    reload();
    await().atMost(Duration.ofSeconds(30)).until(() -> count("delivered") >= 1);
    assertThat(condition()).containsEntry("reason", "Scheduled");
  }

  @Test
  void aManifestSavedWithSuspendStopsTheFiresAndSavedBackResumesThem() throws Exception {
    start(sink(NO_ENV));
    Files.writeString(dir.resolve("trigger.yaml"), trigger(""));
    reload();
    await().atMost(Duration.ofSeconds(30)).until(() -> count("delivered") >= 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> triggers().get(0).get("lastSuccessfulTime") != null);

    Files.writeString(dir.resolve("trigger.yaml"), trigger("suspend: true"));
    reload();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(condition())
                    .containsEntry("status", "True")
                    .containsEntry("reason", "Suspended"));
    int sent = events().size();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> events().size() == sent);

    Files.writeString(dir.resolve("trigger.yaml"), trigger(""));
    reload();
    await().atMost(Duration.ofSeconds(10)).until(() -> events().size() >= sent + 2);
    assertThat(condition()).containsEntry("reason", "Scheduled");
    assertThat(events()).extracting(Event::id).doesNotHaveDuplicates();
  }

  private void start(String function) throws Exception {
    Files.copy(
        Path.of(LocalTriggersIT.class.getResource("/event-sink/sink.py").toURI()),
        dir.resolve("sink.py"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("function.yaml"), function);
    platform = TestManifests.start(Manifests.load(dir, "java"), logs);
  }

  private void reload() throws IOException {
    Manifests.Loaded loaded = Manifests.load(dir, "java");
    assertThat(loaded.problems()).isEmpty();
    platform.apply(loaded);
  }

  /** The event sink at zero; {@code env} is YAML for its spec.env list, e.g. {@code [...]}. */
  private static String sink(String env) {
    return """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: sink
          annotations: {kinetic.dev/local-command: python3 -u sink.py}
        spec:
          image: example.com/sink:1
          timeoutSeconds: 10
          env: %s
          scale: {min: 0, idleTimeout: 60s}
        """
        .formatted(env);
  }

  private static final String NO_ENV = "[]";

  /** An every-second Trigger of the sink; {@code extra} is more YAML for its spec. */
  private static String trigger(String extra) {
    return """
        apiVersion: kinetic.dev/v1alpha1
        kind: Trigger
        metadata:
          name: every-second
        spec:
          function: sink
          schedule:
            cron: "* * * * * *"
          %s
        """
        .formatted(extra);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> triggers() {
    return (List<Map<String, Object>>) platform.status().get("triggers");
  }

  private long count(String field) {
    return triggers().stream().mapToLong(t -> ((Number) t.get(field)).longValue()).sum();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> condition() {
    return ((List<Map<String, Object>>) triggers().get(0).get("conditions")).get(0);
  }

  record Event(String id, String type, String time, int attempt, int answered, String data) {}

  private List<Event> events() {
    return logs.toString()
        .lines()
        .map(EVENT::matcher)
        .filter(Matcher::matches)
        .map(
            m ->
                new Event(
                    m.group(1),
                    m.group(2),
                    m.group(3),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    m.group(6)))
        .toList();
  }
}
