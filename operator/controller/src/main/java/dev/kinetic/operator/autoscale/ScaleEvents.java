package dev.kinetic.operator.autoscale;

import dev.kinetic.api.Function;
import dev.kinetic.autoscaler.Decision;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.HexFormat;

/** The Event a user sees in {@code kubectl describe fn} when the autoscaler changes a scale. */
public final class ScaleEvents {
  static final String COMPONENT = "kinetic-autoscaler";

  /** Event messages are limited by the API server; a reason longer than this is cut. */
  static final int MAX_MESSAGE = 1024;

  private ScaleEvents() {}

  /** Pure: the same inputs give the same Event. */
  public static Event scaled(Function function, int from, Decision decision, Instant at) {
    String message =
        "scaled from " + from + " to " + decision.replicas() + ": " + decision.reason();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    String time = at.toString();
    return new EventBuilder()
        .withNewMetadata()
        // kubectl's naming: the object's name and a unique suffix from the time.
        .withName(
            function.getMetadata().getName()
                + "."
                + HexFormat.of().toHexDigits(at.getEpochSecond() * 1_000_000_000L + at.getNano()))
        .withNamespace(function.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(HasMetadata.getApiVersion(Function.class))
        .withKind(HasMetadata.getKind(Function.class))
        .withName(function.getMetadata().getName())
        .withNamespace(function.getMetadata().getNamespace())
        .withUid(function.getMetadata().getUid())
        .endInvolvedObject()
        .withType("Normal")
        .withReason(decision.replicas() > from ? "ScaledUp" : "ScaledDown")
        .withMessage(message)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }
}
