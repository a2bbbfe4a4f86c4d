package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the user asks for. Every bound here is also enforced by the CRD schema. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionSpec {
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_TIMEOUT_SECONDS = 30;
  public static final int MAX_TIMEOUT_SECONDS = 3600;

  @Required
  @Size(min = 1, max = 1024)
  // A Deployment takes an image with a space at its ends (only a Pod refuses it), so without this
  // the mistake would show only at the first request, as pods that cannot be created.
  @ValidationRule(
      value = "self.matches('^\\\\S+$')",
      message = "image must not hold spaces or other whitespace, e.g. ghcr.io/acme/hello:1.0")
  @JsonPropertyDescription("Container image that holds the function, e.g. ghcr.io/acme/hello:1.0.")
  private String image;

  @Size(max = 64)
  @JsonPropertyDescription("Overrides the image's entrypoint.")
  private List<String> command;

  @Size(max = 64)
  @JsonPropertyDescription("Arguments to the entrypoint.")
  private List<String> args;

  @Min(1)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription("Port the function listens on; passed to it as $PORT. Default 8080.")
  private Integer port;

  @Size(max = 128)
  @ValidationRule(value = "self.all(e, size(e.name) > 0)", message = "env[].name must not be empty")
  // No regex on the names here: EnvVar.name has no maxLength in the Kubernetes schema, so the API
  // server's CEL cost estimate rejects any regex over it. Kubernetes checks the syntax when the
  // Deployment is written, and the operator reports that rejection in the status.
  @ValidationRule(
      value = "self.all(e, e.name != 'PORT' && !e.name.startsWith('KINETIC_'))",
      message = "env[].name PORT and names starting with KINETIC_ are reserved for the platform")
  @JsonPropertyDescription(
      "Environment variables, as in a Pod: value, or valueFrom a secretKeyRef/configMapKeyRef.")
  private List<EnvVar> env;

  @Size(max = 32)
  @JsonPropertyDescription("Sources of environment variables (whole ConfigMaps or Secrets).")
  private List<EnvFromSource> envFrom;

  @JsonPropertyDescription(
      "CPU and memory requests and limits. The memory limit is also what usage is metered by"
          + " (GB-seconds).")
  private FunctionResources resources;

  @Size(max = 253)
  @JsonPropertyDescription(
      "ServiceAccount the pods run as. When empty, no service-account token is mounted.")
  private String serviceAccountName;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(s, has(s.name) && size(s.name) > 0)",
      message = "imagePullSecrets[].name must not be empty")
  @JsonPropertyDescription(
      "Secrets of type kubernetes.io/dockerconfigjson in the Function's namespace that the kubelet"
          + " pulls the image with, as in a Pod. Those of the pods' ServiceAccount are used too.")
  private List<LocalObjectReference> imagePullSecrets;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "volumes[].name must be unique")
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.mountPath == a.mountPath))",
      message = "volumes[].mountPath must be unique")
  @ValidationRule(
      value = "self.all(v, v.name != 'tmp')",
      message = "volumes[].name tmp is reserved for the function's /tmp")
  @JsonPropertyDescription(
      "Secrets and ConfigMaps of the Function's namespace mounted read-only as files, e.g."
          + " {name: db, mountPath: /var/run/secrets/db, secret: {secretName: db}}.")
  private List<FunctionVolume> volumes;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(k, k.matches('" + Placement.LABEL_KEY + "'))",
      message =
          "nodeSelector keys must be label keys: an optional DNS prefix and /, then at most 63"
              + " letters, digits, -, _ or . starting and ending with a letter or digit")
  // Only the values' length: they have no maxLength in the schema (a map's values cannot be given
  // one here), and the API server's CEL cost estimate refuses a regex over them. The API server
  // checks their characters when the operator writes the Deployment (Rejected, with its message).
  @ValidationRule(
      value = "self.all(k, size(self[k]) <= 63)",
      message = "nodeSelector values must be label values: at most 63 characters")
  @JsonPropertyDescription(
      "Node labels the pods must run on, as in a Pod, e.g. {kubernetes.io/arch: arm64} or a node"
          + " pool's label. Added to the platform's own, which win on the same key.")
  private Map<String, String> nodeSelector;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(t, !has(t.operator) || t.operator == 'Exists' || t.operator == 'Equal')",
      message = "tolerations[].operator must be Exists or Equal")
  @ValidationRule(
      value =
          "self.all(t, !has(t.effect) || t.effect == '' || t.effect == 'NoSchedule'"
              + " || t.effect == 'PreferNoSchedule' || t.effect == 'NoExecute')",
      message = "tolerations[].effect must be NoSchedule, PreferNoSchedule, NoExecute or empty")
  @ValidationRule(
      value =
          "self.all(t, !has(t.operator) || t.operator != 'Exists' || !has(t.value)"
              + " || t.value == '')",
      message = "tolerations[].value must be empty when the operator is Exists")
  @ValidationRule(
      value =
          "self.all(t, (has(t.key) && t.key != '') || (has(t.operator) && t.operator =="
              + " 'Exists'))",
      message =
          "tolerations[] without a key must have the operator Exists (it tolerates every taint)")
  @ValidationRule(
      value =
          "self.all(t, !has(t.tolerationSeconds) || (has(t.effect) && t.effect == 'NoExecute'))",
      message = "tolerations[].tolerationSeconds applies only to the effect NoExecute")
  @JsonPropertyDescription(
      "Taints the pods tolerate, as in a Pod, e.g. [{key: dedicated, value: functions, effect:"
          + " NoSchedule}]. Added to the platform's own.")
  private List<Toleration> tolerations;

  @Size(max = 8)
  @ValidationRule(
      value = "self.all(c, has(c.maxSkew) && c.maxSkew >= 1)",
      message = "topologySpreadConstraints[].maxSkew is required and must be at least 1")
  @ValidationRule(
      value = "self.all(c, has(c.topologyKey) && c.topologyKey != '')",
      message =
          "topologySpreadConstraints[].topologyKey is required, a node label such as"
              + " topology.kubernetes.io/zone or kubernetes.io/hostname")
  @ValidationRule(
      value =
          "self.all(c, has(c.whenUnsatisfiable) && (c.whenUnsatisfiable == 'DoNotSchedule'"
              + " || c.whenUnsatisfiable == 'ScheduleAnyway'))",
      message =
          "topologySpreadConstraints[].whenUnsatisfiable is required: DoNotSchedule or"
              + " ScheduleAnyway")
  @JsonPropertyDescription(
      "How the pods spread over zones or nodes, as in a Pod, e.g. [{maxSkew: 1, topologyKey:"
          + " topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]. A constraint"
          + " without a labelSelector counts this Function's pods.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription(
      "Node affinity and pod affinity or anti-affinity, as in a Pod. The platform's and the"
          + " Function's nodeSelector still apply: a pod runs where both hold.")
  private Affinity affinity;

  @Size(max = Domains.MAX)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b == a))",
      message = "domains must not repeat a name")
  @ValidationRule(
      value = "self.all(d, !d.endsWith('.svc') && !d.contains('.svc.'))",
      message =
          "domains must not be a Service's name in the cluster (.svc): those route to the"
              + " Function of that name")
  // A rule rather than a pattern: the API server words a pattern as the regex itself.
  @ValidationRule(
      value = "self.all(d, d.matches('" + Domains.PATTERN + "'))",
      message =
          "each of domains must be a lower-case DNS name of two labels or more, the last"
              + " starting with a letter, e.g. api.example.com: no IP address, no wildcard")
  @JsonPropertyDescription(
      "Host names the function also answers at, besides <name>.<namespace>.<domain>, e.g."
          + " [api.example.com]: the activators route requests whose Host is one of them here, path"
          + " untouched. Point the name at the activators (DNS, an Ingress or a Gateway). A name"
          + " another Function holds stays with it (the DomainsReady condition says so).")
  private List<@Size(min = 4, max = 253) String> domains;

  @JsonPropertyDescription(
      "Who may call the function. Public: from outside the cluster too, wherever the activators"
          + " are exposed (the chart's Ingress or HTTPRoute). ClusterLocal: only from inside the"
          + " cluster (its Service, the activators' Service, Triggers); from outside it is answered"
          + " 404 as a name no Function has. Knative's visibility: cluster-local. Default: the"
          + " admin's functionVisibility, else Public.")
  private Visibility visibility;

  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  @Default("30")
  @JsonPropertyDescription("Per-request timeout in seconds. Default 30.")
  private Integer timeoutSeconds;

  @JsonPropertyDescription("How many requests one pod serves at once.")
  private ConcurrencySpec concurrency;

  @JsonPropertyDescription("How many pods may run, and when to scale to zero.")
  private ScaleSpec scale;

  @JsonPropertyDescription(
      "How a pod is known to be ready: a TCP connection to its port (the default), or an HTTP GET"
          + " of probe.path.")
  private ProbeSpec probe;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public FunctionResources getResources() {
    return resources;
  }

  public void setResources(FunctionResources resources) {
    this.resources = resources;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public ConcurrencySpec getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(ConcurrencySpec concurrency) {
    this.concurrency = concurrency;
  }

  public ScaleSpec getScale() {
    return scale;
  }

  public void setScale(ScaleSpec scale) {
    this.scale = scale;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(
      List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
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

  public ProbeSpec getProbe() {
    return probe;
  }

  public void setProbe(ProbeSpec probe) {
    this.probe = probe;
  }

  /** A copy-safe accessor for callers that want an empty list instead of null. */
  public List<FunctionVolume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<FunctionVolume> volumes) {
    this.volumes = volumes;
  }

  public List<FunctionVolume> volumesOrEmpty() {
    return volumes == null ? List.of() : volumes;
  }

  public List<EnvVar> envOrEmpty() {
    return env == null ? List.of() : new ArrayList<>(env);
  }
}
