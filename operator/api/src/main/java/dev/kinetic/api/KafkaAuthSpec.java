package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the dispatcher authenticates to the brokers. Credentials stay in Secrets of the Trigger's
 * namespace: a SASL Secret holds {@code username} and {@code password} (the
 * kubernetes.io/basic-auth keys), a TLS Secret {@code ca.crt} and, for client certificates, {@code
 * tls.crt} and {@code tls.key} (PEM, as cert-manager writes them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.sasl) || has(self.tls)",
    message = "kafka.auth needs sasl, tls or both")
public class KafkaAuthSpec {
  public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
  public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
  public static final String PLAIN = "PLAIN";

  @JsonPropertyDescription("SASL authentication.")
  private Sasl sasl;

  @JsonPropertyDescription("TLS to the brokers: the CA to trust and, optionally, a client key.")
  private Tls tls;

  /** SASL with a user and password. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Sasl {
    @Required
    @Pattern("^(SCRAM-SHA-256|SCRAM-SHA-512|PLAIN)$")
    @JsonPropertyDescription(
        "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (PLAIN sends the password as is: use it with tls"
            + " only).")
    private String mechanism;

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Secret with the keys username and password.")
    private String secret;

    public String getMechanism() {
      return mechanism;
    }

    public void setMechanism(String mechanism) {
      this.mechanism = mechanism;
    }

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }
  }

  /** TLS material in PEM. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tls {
    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription(
        "Secret with ca.crt (the CA that signed the brokers' certificates) and, for client"
            + " authentication, tls.crt and tls.key.")
    private String secret;

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }
  }

  public Sasl getSasl() {
    return sasl;
  }

  public void setSasl(Sasl sasl) {
    this.sasl = sasl;
  }

  public Tls getTls() {
    return tls;
  }

  public void setTls(Tls tls) {
    this.tls = tls;
  }
}
