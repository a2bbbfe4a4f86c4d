package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Secret or a ConfigMap of the Function's namespace, mounted read-only as files, as Knative and
 * OpenFaaS mount them: a certificate, a credentials file, a configuration a library reads from a
 * path. Its files follow the object when it changes (the kubelet updates them within a minute or
 * so), where a variable is fixed when the process starts. Or an empty folder of the pod's own,
 * mounted writable: the one place besides /tmp a function may write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.secret) ? 1 : 0) + (has(self.configMap) ? 1 : 0) + (has(self.emptyDir) ? 1 : 0)"
            + " == 1",
    message = "volumes[] needs exactly one of secret, configMap and emptyDir")
@ValidationRule(
    value =
        "!(self.mountPath == '/' || ['/tmp', '/dev', '/proc', '/sys'].exists(r,"
            + " self.mountPath == r || self.mountPath.startsWith(r + '/'))"
            + " || self.mountPath.contains('/..') || self.mountPath.contains('/./')"
            + " || self.mountPath.endsWith('/.'))",
    message =
        "volumes[].mountPath must not be /, /tmp (the function's scratch space), /dev, /proc, /sys"
            + " or a path through them, and must not hold . or .. segments")
public class FunctionVolume {
  public static final int MAX_MOUNT_PATH = 512;

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the volume: a DNS label, unique in the Function; not tmp.")
  private String name;

  @Required
  @Size(min = 2, max = MAX_MOUNT_PATH)
  @Pattern("^/[^:]*[^/:]$")
  @JsonPropertyDescription(
      "Absolute path the files appear under, e.g. /etc/app or /var/run/secrets/db: read-only for"
          + " a secret or a configMap, writable for an emptyDir.")
  private String mountPath;

  @JsonPropertyDescription("A Secret of the Function's namespace; each key becomes a file.")
  private SecretVolume secret;

  @JsonPropertyDescription("A ConfigMap of the Function's namespace; each key becomes a file.")
  private ConfigMapVolume configMap;

  @JsonPropertyDescription(
      "An empty folder of the pod's own, writable, gone with the pod, e.g. {sizeLimit: 256Mi}.")
  private EmptyDirVolume emptyDir;

  public FunctionVolume() {}

  private FunctionVolume(String name, String mountPath) {
    this.name = name;
    this.mountPath = mountPath;
  }

  public static FunctionVolume ofSecret(String name, String mountPath, String secretName) {
    FunctionVolume volume = new FunctionVolume(name, mountPath);
    volume.secret = new SecretVolume();
    volume.secret.setSecretName(secretName);
    return volume;
  }

  public static FunctionVolume ofEmptyDir(String name, String mountPath, String sizeLimit) {
    FunctionVolume volume = new FunctionVolume(name, mountPath);
    volume.emptyDir = new EmptyDirVolume();
    volume.emptyDir.setSizeLimit(sizeLimit);
    return volume;
  }

  public static FunctionVolume ofConfigMap(String name, String mountPath, String configMapName) {
    FunctionVolume volume = new FunctionVolume(name, mountPath);
    volume.configMap = new ConfigMapVolume();
    volume.configMap.setName(configMapName);
    return volume;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public SecretVolume getSecret() {
    return secret;
  }

  public void setSecret(SecretVolume secret) {
    this.secret = secret;
  }

  public ConfigMapVolume getConfigMap() {
    return configMap;
  }

  public void setConfigMap(ConfigMapVolume configMap) {
    this.configMap = configMap;
  }

  public EmptyDirVolume getEmptyDir() {
    return emptyDir;
  }

  public void setEmptyDir(EmptyDirVolume emptyDir) {
    this.emptyDir = emptyDir;
  }
}
