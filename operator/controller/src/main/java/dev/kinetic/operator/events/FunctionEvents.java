package dev.kinetic.operator.events;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A Kubernetes Event about a Function, as {@code kubectl describe fn} lists it: one place for the
 * shape (involved object, source, times, the API server's message limit). Pure.
 */
public final class FunctionEvents {
  /** The operator's reconciler, as the source of the Events it records about pods. */
  static final String OPERATOR = "kinetic-operator";

  /**
   * Events last an hour on an API server by default: what happened to a pod longer ago, which an
   * operator that just started finds on a pod left behind, is not reported as if it were new.
   */
  static final Duration REPORTED_WITHIN = Duration.ofHours(1);

  /** Event messages are limited by the API server; a longer one is cut. */
  public static final int MAX_MESSAGE = 1024;

  private FunctionEvents() {}

  /** A time as the API server writes it (RFC 3339); empty when absent or not one. */
  static Optional<Instant> instant(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public static Event of(
      Function function,
      String name,
      String type,
      String reason,
      String message,
      Instant at,
      String component) {
    String text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    String time = at.toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(function.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(HasMetadata.getApiVersion(Function.class))
        .withKind(HasMetadata.getKind(Function.class))
        .withName(function.getMetadata().getName())
        .withNamespace(function.getMetadata().getNamespace())
        .withUid(function.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }
}
