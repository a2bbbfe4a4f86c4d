package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Bounds on the number of pods, how long a function may idle before it scales to zero, how the
 * autoscaler reads its load (the window, the utilization of the targets, the scale-down delay), and
 * an optional requests-per-second target beside the concurrency target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.max) || !has(self.min) || self.min <= self.max",
    message = "scale.min must be less than or equal to scale.max")
@ValidationRule(
    value = "!has(self.max) || !has(self.initial) || self.initial <= self.max",
    message = "scale.initial must be less than or equal to scale.max")
public class ScaleSpec {
  public static final int MAX_REPLICAS = 1000;
  public static final String DEFAULT_IDLE_TIMEOUT = "60s";
  public static final String DEFAULT_WINDOW = "60s";
  public static final int DEFAULT_TARGET_UTILIZATION = 70;
  public static final String DEFAULT_SCALE_DOWN_DELAY = "30s";
  public static final int MAX_TARGET_REQUESTS_PER_SECOND = 100_000;

  @Min(0)
  @Max(MAX_REPLICAS)
  @Default("0")
  @JsonPropertyDescription("Pods kept warm even without traffic. Default 0 (scale to zero).")
  private Integer min;

  @Min(1)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Most pods this function may have. Capped by the platform limits.")
  private Integer max;

  @Min(0)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Pods to start with when the function is created. Default: min.")
  private Integer initial;

  @Size(max = 32) // bounds the CEL cost estimate of the regex below
  @ValidationRule(
      value = Durations.CEL_IS_DURATION,
      message =
          "scale.idleTimeout must be a duration such as 30s, 5m or 1h30m (units: ms, s, m, h)")
  @ValidationRule(
      value = Durations.CEL_IF_DURATION + "duration(self) <= duration('24h')",
      message = "scale.idleTimeout must be at most 24h")
  @Default(DEFAULT_IDLE_TIMEOUT)
  @JsonPropertyDescription(
      "How long without requests before the function scales to zero (when min is 0). Default 60s.")
  private String idleTimeout;

  @Size(max = 32) // bounds the CEL cost estimate of the regex below
  @ValidationRule(
      value = Durations.CEL_IS_DURATION,
      message = "scale.window must be a duration such as 6s, 30s or 2m (units: ms, s, m, h)")
  @ValidationRule(
      value =
          Durations.CEL_IF_DURATION
              + "(duration(self) >= duration('6s') && duration(self) <= duration('1h'))",
      message = "scale.window must be between 6s and 1h")
  @Default(DEFAULT_WINDOW)
  @JsonPropertyDescription(
      "How far back the autoscaler averages the load to size the function (Knative's stable"
          + " window), and how long it keeps the pods a burst brought after the burst. Shorter"
          + " follows traffic down sooner; longer keeps pods through lulls. A burst is seen"
          + " within the 6s panic window whatever its length. 6s to 1h; default 60s.")
  private String window;

  @Min(1)
  @Max(100)
  @Default("70")
  @JsonPropertyDescription(
      "Percent of the targets (concurrency and requests per second) each pod is aimed at; the"
          + " rest is headroom for bursts (Knative's target-utilization-percentage). Lower for"
          + " latency-sensitive functions, higher to pack pods. 1-100; default 70.")
  private Integer targetUtilization;

  @Size(max = 32) // bounds the CEL cost estimate of the regex below
  @ValidationRule(
      value = Durations.CEL_IS_DURATION,
      message =
          "scale.scaleDownDelay must be a duration such as 0s, 30s or 5m (units: ms, s, m, h)")
  @ValidationRule(
      value = Durations.CEL_IF_DURATION + "duration(self) <= duration('1h')",
      message = "scale.scaleDownDelay must be at most 1h")
  @Default(DEFAULT_SCALE_DOWN_DELAY)
  @JsonPropertyDescription(
      "How long the autoscaler keeps the most pods it wanted before it scales down to fewer"
          + " (Knative's scale-down-delay), so traffic that dips and comes back finds its pods."
          + " Not on the way to zero, which idleTimeout decides. 0s to 1h; default 30s.")
  private String scaleDownDelay;

  @Min(1)
  @Max(MAX_TARGET_REQUESTS_PER_SECOND)
  @JsonPropertyDescription(
      "Requests per second per pod the autoscaler also aims for (at 70% utilization), for fast"
          + " functions whose limit is their CPU rather than their concurrency. The autoscaler"
          + " uses whichever of this and the concurrency target asks for more pods. Default:"
          + " none (concurrency alone).")
  private Integer targetRequestsPerSecond;

  public ScaleSpec() {}

  public ScaleSpec(Integer min, Integer max) {
    this.min = min;
    this.max = max;
  }

  public Integer getMin() {
    return min;
  }

  public void setMin(Integer min) {
    this.min = min;
  }

  public Integer getMax() {
    return max;
  }

  public void setMax(Integer max) {
    this.max = max;
  }

  public Integer getInitial() {
    return initial;
  }

  public void setInitial(Integer initial) {
    this.initial = initial;
  }

  public String getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(String idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public Integer getTargetUtilization() {
    return targetUtilization;
  }

  public void setTargetUtilization(Integer targetUtilization) {
    this.targetUtilization = targetUtilization;
  }

  public String getScaleDownDelay() {
    return scaleDownDelay;
  }

  public void setScaleDownDelay(String scaleDownDelay) {
    this.scaleDownDelay = scaleDownDelay;
  }

  public Integer getTargetRequestsPerSecond() {
    return targetRequestsPerSecond;
  }

  public void setTargetRequestsPerSecond(Integer targetRequestsPerSecond) {
    this.targetRequestsPerSecond = targetRequestsPerSecond;
  }
}
