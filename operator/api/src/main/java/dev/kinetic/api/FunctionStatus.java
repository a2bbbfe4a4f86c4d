package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed. A report, with one exception: {@link #getDomains() domains} records
 * which of its claimed domains a Function holds, so that a name stays with whoever had it first
 * ({@link Domains}); the activators route by it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Where the function answers (inside the cluster).")
  private String url;

  @JsonPropertyDescription("Pods the function's Deployment has.")
  private Integer replicas;

  @JsonPropertyDescription("Pods that are ready to serve.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "Pods the autoscaler (or whoever last scaled it) asks the Deployment for.")
  private Integer desiredReplicas;

  @JsonPropertyDescription("Why the autoscaler last changed the number of pods, in words.")
  private String lastScaleReason;

  @JsonPropertyDescription("When the autoscaler last changed the number of pods (RFC 3339).")
  private String lastScaleTime;

  @JsonPropertyDescription(
      "The names of spec.domains this Function holds: the activators route them here. A name"
          + " another Function held first is not among them (see the DomainsReady condition).")
  private List<String> domains;

  @JsonPropertyDescription(
      "Who may call it, as the activators apply it: spec.visibility, else the admin's default"
          + " (Public or ClusterLocal).")
  private Visibility visibility;

  @JsonPropertyDescription("Ready, DeploymentReady: each with a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public String getLastScaleReason() {
    return lastScaleReason;
  }

  public void setLastScaleReason(String lastScaleReason) {
    this.lastScaleReason = lastScaleReason;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public List<String> getDomains() {
    return domains;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  public Visibility getVisibility() {
    return visibility;
  }

  public void setVisibility(Visibility visibility) {
    this.visibility = visibility;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
