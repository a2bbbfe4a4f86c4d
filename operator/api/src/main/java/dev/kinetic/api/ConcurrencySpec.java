package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Per-pod concurrency: a hard cap the activator enforces and a target the autoscaler aims for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.target) || !has(self.hard) || self.hard == 0 || self.target <= self.hard",
    message = "concurrency.target must not exceed concurrency.hard when hard is set (non-zero)")
public class ConcurrencySpec {
  public static final int MAX = 10_000;

  @Min(0)
  @Max(MAX)
  @Default("0")
  @JsonPropertyDescription(
      "The most requests one pod ever gets at once; 0 means unlimited. Enforced by the activator"
          + " and, as a second line of defence, by the function runtime.")
  private Integer hard;

  @Min(1)
  @Max(MAX)
  @JsonPropertyDescription(
      "Per-pod concurrency the autoscaler aims for. Default: 70% of hard, or 100 when hard is 0.")
  private Integer target;

  public ConcurrencySpec() {}

  public ConcurrencySpec(Integer hard, Integer target) {
    this.hard = hard;
    this.target = target;
  }

  public Integer getHard() {
    return hard;
  }

  public void setHard(Integer hard) {
    this.hard = hard;
  }

  public Integer getTarget() {
    return target;
  }

  public void setTarget(Integer target) {
    this.target = target;
  }
}
