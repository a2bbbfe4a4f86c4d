package dev.kinetic.operator.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.Function;
import dev.kinetic.operator.autoscale.ActivatorCalls;
import dev.kinetic.operator.status.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Asks every ready activator which version of a Function it routes by ({@code GET
 * /routes/<namespace>/<name>} on its admin port) and says whether all of them route this one: the
 * {@code RoutesReady} condition, without which a Function is not Ready. A Function is only
 * reachable once the activators' watch has delivered it; until then a request for it is answered
 * 404 {@code no_function}. Knative probes its ingress the same way before it reports a Route Ready.
 *
 * <p>Bounded: the activators are asked in parallel and the whole probe takes at most {@code
 * timeout}; an answer is read up to {@value #MAX_ANSWER_BYTES} bytes. Nothing here waits: {@link
 * RouteRounds} decides how long a reconcile does.
 */
public final class RouteProbe implements RouteRounds.Probe {

  /** {@code {"namespace","name","uid","generation"}}: a few hundred bytes at most. */
  static final int MAX_ANSWER_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<List<URI>> activators;
  private final HttpClient http;
  private final Duration timeout;
  private final String activatorService;

  /**
   * @param activators the admin port of each ready activator, {@code http://<ip>:<port>}
   * @param activatorService the activators' Service, {@code <namespace>/<name>}, for the messages
   */
  public RouteProbe(
      Supplier<List<URI>> activators, HttpClient http, Duration timeout, String activatorService) {
    this.activators = activators;
    this.http = http;
    this.timeout = timeout;
    this.activatorService = activatorService;
  }

  /**
   * Asks the activators now; the answer is {@code RoutesReady}'s verdict for the Function as it is,
   * complete within {@code timeout} whatever the activators do.
   *
   * @param domains the names of {@code spec.domains} it holds: each activator must route those to
   *     it too
   */
  @Override
  public CompletableFuture<Verdict> ask(Function function, List<String> domains) {
    String path =
        "/routes/" + function.getMetadata().getNamespace() + "/" + function.getMetadata().getName();
    List<URI> routes = activators.get().stream().map(admin -> admin.resolve(path)).toList();
    List<CompletableFuture<Answer>> answers =
        ActivatorCalls.get(http, routes, timeout, MAX_ANSWER_BYTES).stream()
            .map(reply -> reply.thenApply(this::answer))
            .toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            all ->
                verdict(
                    function,
                    domains,
                    answers.stream().map(CompletableFuture::join).toList(),
                    activatorService));
  }

  private Answer answer(ActivatorCalls.Reply reply) {
    String host = reply.uri().getHost();
    if (reply.timedOut()) {
      return Answer.failed(host, noAnswer());
    }
    if (reply.failure() != null) {
      return Answer.failed(host, "cannot be asked: " + reply.failure().getClass().getSimpleName());
    }
    return read(host, reply.response());
  }

  private String noAnswer() {
    return "no answer within " + timeout.toMillis() + " ms";
  }

  private static Answer read(String host, HttpResponse<byte[]> response) {
    try {
      if (response.statusCode() == 404) {
        // An activator of a version before /routes answers 404 without a reason: it cannot say,
        // and a rolling upgrade must not hold every Function not Ready until it is replaced.
        return "no_function".equals(errorOf(response.body()))
            ? Answer.unknown(host)
            : Answer.cannotSay(host);
      }
      if (response.statusCode() != 200) {
        return Answer.failed(host, "answered " + response.statusCode());
      }
      JsonNode body = JSON.readTree(response.body());
      JsonNode generation = body.path("generation");
      if (!body.path("uid").isTextual() || !generation.canConvertToLong()) {
        return Answer.failed(host, "answered without a uid and a generation");
      }
      List<String> domains = new ArrayList<>();
      body.path("domains").forEach(d -> domains.add(d.asText()));
      return Answer.routes(host, body.path("uid").asText(), generation.asLong(), domains);
    } catch (java.io.IOException | RuntimeException e) {
      return Answer.failed(host, "answered what is not a version: " + e.getClass().getSimpleName());
    }
  }

  private static String errorOf(byte[] body) {
    try {
      return JSON.readTree(body).path("error").asText(null);
    } catch (java.io.IOException | RuntimeException notJson) {
      return null;
    }
  }

  /**
   * What one activator said: the version it routes by, that it routes no Function of this name, or
   * why it could not tell.
   */
  record Answer(
      String activator, String uid, long generation, List<String> domains, String problem) {
    static Answer routes(String activator, String uid, long generation, List<String> domains) {
      return new Answer(activator, uid, generation, List.copyOf(domains), null);
    }

    static Answer unknown(String activator) {
      return new Answer(activator, null, 0, List.of(), "routes no Function of this name yet");
    }

    static Answer failed(String activator, String problem) {
      return new Answer(activator, null, 0, List.of(), problem);
    }

    /** An activator older than {@code /routes}: counted as routing, as before it was asked. */
    static Answer cannotSay(String activator) {
      return new Answer(activator, null, 0, List.of(), null);
    }

    boolean saysNothing() {
      return uid == null && problem == null;
    }
  }

  /**
   * True when every activator asked routes this Function (the same uid) at its generation or a
   * later one; Unknown otherwise, naming the activators still behind and why. Pure: a table test's
   * row.
   */
  static Verdict verdict(
      Function function, List<String> domains, List<Answer> answers, String activatorService) {
    long generation = orZero(function.getMetadata().getGeneration());
    String uid = function.getMetadata().getUid();
    if (answers.isEmpty()) {
      return Verdict.waiting(
          "NoActivators",
          "no ready activator is listed in Service "
              + activatorService
              + ": nothing routes requests to this Function");
    }
    List<String> behind = new ArrayList<>();
    int tooOld = 0;
    for (Answer answer : answers) {
      if (answer.saysNothing()) {
        tooOld++;
      } else if (answer.problem() != null) {
        behind.add(answer.activator() + " " + answer.problem());
      } else if (!answer.uid().equals(uid)) {
        behind.add(answer.activator() + " still routes a deleted Function of this name");
      } else if (answer.generation() < generation) {
        behind.add(answer.activator() + " routes generation " + answer.generation());
      } else if (!answer.domains().containsAll(domains)) {
        List<String> missing = new ArrayList<>(domains);
        missing.removeAll(answer.domains());
        behind.add(answer.activator() + " does not route " + String.join(", ", missing) + " yet");
      }
    }
    if (behind.isEmpty()) {
      return Verdict.ok(
          "Routed",
          "every activator asked ("
              + answers.size()
              + ") routes generation "
              + generation
              + (tooOld == 0 ? "" : " (" + tooOld + " of them too old to say, taken as routing)"));
    }
    return Verdict.waiting(
        "Routing",
        (answers.size() - behind.size())
            + " of "
            + answers.size()
            + " activators route generation "
            + generation
            + " so far: "
            + String.join("; ", behind));
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
