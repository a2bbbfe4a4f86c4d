package dev.kinetic.operator.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.autoscaler.Load;
import dev.kinetic.autoscaler.LoadSource;
import dev.kinetic.autoscaler.LoadSource.Reading;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Collects every activator's {@code GET /stats} and sums each function's load (average concurrency,
 * requests per second). When some activator does not answer in time, the sample is not whole: a
 * partial sum reads as a traffic drop, so it is marked partial and the autoscaler only ever scales
 * up on it; when none answers, it is missing.
 *
 * <p>Bounded: the activators are read in parallel and the whole sample takes at most the timeout
 * (whatever is still on its way then is cancelled); an answer over {@code maxBytes} is cut off and
 * makes the sample missing, so a port that streams without end costs neither memory nor time.
 */
public final class ActivatorScraper implements LoadSource.Partial<ResourceID> {
  private static final Logger LOG = Logger.getLogger(ActivatorScraper.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActivatorEndpoints activators;
  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;
  private volatile String lastProblem;

  public ActivatorScraper(
      ActivatorEndpoints activators, HttpClient http, Duration timeout, long maxBytes) {
    this.activators = activators;
    this.http = http;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /**
   * Every activator's numbers summed; when some cannot be read, the others' sum marked partial (a
   * lower bound the autoscaler may scale up to, never down); empty when none can be read.
   */
  @Override
  public Optional<Reading<ResourceID>> read() {
    List<URI> urls = activators.statsUrls();
    if (urls.isEmpty()) {
      return missing("no ready activator is listed in its Service's EndpointSlices");
    }
    List<CompletableFuture<ActivatorCalls.Reply>> replies =
        ActivatorCalls.get(http, urls, timeout, maxBytes);
    Map<ResourceID, Load> sum = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (CompletableFuture<ActivatorCalls.Reply> pending : replies) {
      ActivatorCalls.Reply reply;
      try {
        reply = pending.get(); // each within the timeout: all were sent at once
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        replies.forEach(r -> r.cancel(true));
        return missing("interrupted while reading the activators' stats");
      } catch (ExecutionException e) {
        throw new IllegalStateException("a reply never fails", e);
      }
      URI url = reply.uri();
      if (reply.timedOut()) {
        problems.add(
            "cannot read " + url + ": no whole answer within " + timeout.toMillis() + " ms");
      } else if (reply.failure() != null) {
        problems.add("cannot read " + url + ": " + describe(reply.failure()));
      } else if (reply.response().statusCode() != 200) {
        problems.add(url + " answered " + reply.response().statusCode());
      } else {
        try {
          // Parsed whole before it is added: a bad answer adds nothing.
          Map<ResourceID, Load> one = new HashMap<>();
          addTo(one, JSON.readTree(reply.response().body()));
          one.forEach((k, v) -> sum.merge(k, v, Load::plus));
        } catch (IOException | RuntimeException e) {
          problems.add("cannot read " + url + ": " + describe(e));
        }
      }
    }
    if (problems.size() == urls.size()) {
      return missing(String.join("; ", problems));
    }
    if (!problems.isEmpty()) {
      return partial(sum, (urls.size() - problems.size()) + " of " + urls.size(), problems);
    }
    if (lastProblem != null) {
      LOG.infof("activator stats are complete again (%d activators)", urls.size());
      lastProblem = null;
    }
    return Optional.of(new Reading<>(sum, true));
  }

  /**
   * {@code {"functions":[{"namespace":..,"name":..,"averageConcurrency":..,"requestsPerSecond":..},
   * ..]}}. An activator of a version before {@code requestsPerSecond} reports none: its requests
   * are not in the rate during a rolling upgrade, as they would be missing from nothing else.
   */
  static void addTo(Map<ResourceID, Load> sum, JsonNode stats) {
    JsonNode functions = stats.path("functions");
    if (!functions.isArray()) {
      throw new IllegalArgumentException("no \"functions\" array in the stats");
    }
    for (JsonNode f : functions) {
      String namespace = f.path("namespace").asText(null);
      String name = f.path("name").asText(null);
      JsonNode average = f.path("averageConcurrency");
      JsonNode rate = f.path("requestsPerSecond");
      if (namespace == null || name == null || !average.isNumber()) {
        throw new IllegalArgumentException("a function entry lacks namespace, name or a number");
      }
      if (!rate.isMissingNode() && !(rate.isNumber() && rate.asDouble() >= 0)) {
        throw new IllegalArgumentException(
            "requestsPerSecond of " + namespace + "/" + name + " is not a number of at least 0");
      }
      sum.merge(
          new ResourceID(name, namespace),
          new Load(average.asDouble(), rate.asDouble(0)),
          Load::plus);
    }
  }

  private Optional<Reading<ResourceID>> missing(String problem) {
    said("load sample missing, holding every function's scale: " + problem);
    return Optional.empty();
  }

  private Optional<Reading<ResourceID>> partial(
      Map<ResourceID, Load> sum, String answered, List<String> problems) {
    said(
        "load sample partial ("
            + answered
            + " activators): no function's scale goes down, and one goes up if the answers alone"
            + " need it: "
            + String.join("; ", problems));
    return Optional.of(new Reading<>(sum, false));
  }

  /**
   * Said once per change of problem: at one sample a second, a down activator would flood the log.
   */
  private void said(String problem) {
    if (!problem.equals(lastProblem)) {
      LOG.warn(problem);
      lastProblem = problem;
    }
  }

  private static String describe(Throwable cause) {
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage());
  }
}
