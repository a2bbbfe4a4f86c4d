package dev.kinetic.dispatcher.kafka;

import dev.kinetic.api.KafkaAuthSpec;
import dev.kinetic.api.KafkaSpec;
import dev.kinetic.dispatcher.TriggerProblem;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka client settings a Trigger's {@code kafka.auth} asks for, with the credentials read from
 * its Secrets. Pure but for the reader; the values never leave these settings (not in a log, not in
 * the status: a problem names the Secret and the key, never a value).
 */
final class KafkaClientConfig {
  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String CA = "ca.crt";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";

  private KafkaClientConfig() {}

  static Map<String, Object> of(KafkaSpec spec, String namespace, SecretReader secrets) {
    Map<String, Object> config = new HashMap<>();
    KafkaAuthSpec auth = spec.getAuth();
    boolean sasl = auth != null && auth.getSasl() != null;
    boolean tls = auth != null && auth.getTls() != null;
    config.put(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        sasl && tls ? "SASL_SSL" : sasl ? "SASL_PLAINTEXT" : tls ? "SSL" : "PLAINTEXT");
    if (sasl) {
      KafkaAuthSpec.Sasl s = auth.getSasl();
      Map<String, String> secret = read(secrets, namespace, s.getSecret());
      String module =
          KafkaAuthSpec.PLAIN.equals(s.getMechanism())
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      config.put(SaslConfigs.SASL_MECHANISM, s.getMechanism());
      config.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          module
              + " required username=\""
              + quoted(key(secret, s.getSecret(), USERNAME))
              + "\" password=\""
              + quoted(key(secret, s.getSecret(), PASSWORD))
              + "\";");
    }
    if (tls) {
      String name = auth.getTls().getSecret();
      Map<String, String> secret = read(secrets, namespace, name);
      // PEM straight from the Secret: no keystore files on a read-only root filesystem.
      config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, key(secret, name, CA));
      if (secret.containsKey(CERT) || secret.containsKey(KEY)) {
        config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, key(secret, name, CERT));
        config.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, key(secret, name, KEY));
      }
    }
    return config;
  }

  private static Map<String, String> read(SecretReader secrets, String namespace, String name) {
    return secrets
        .read(namespace, name)
        .orElseThrow(
            () ->
                new TriggerProblem(
                    TriggerProblem.SECRET_NOT_FOUND,
                    "no Secret " + name + " in namespace " + namespace));
  }

  private static String key(Map<String, String> secret, String name, String key) {
    String value = secret.get(key);
    if (value == null || value.isEmpty()) {
      throw new TriggerProblem(
          TriggerProblem.SECRET_NOT_FOUND, "Secret " + name + " has no key " + key);
    }
    return value;
  }

  /** A value inside the JAAS line's double quotes. */
  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
