package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.api.KafkaAuthSpec;
import dev.kinetic.api.KafkaSpec;
import dev.kinetic.dispatcher.TriggerProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client settings kafka.auth asks for, from Secrets a map stands in for. */
class KafkaClientConfigTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private final Map<String, Map<String, String>> secrets =
      Map.of(
          "scram", Map.of("username", "orders", "password", "p\"a\\ss"),
          "ca-only", Map.of("ca.crt", CA),
          "mtls", Map.of("ca.crt", CA, "tls.crt", "CERT", "tls.key", "KEY"),
          "no-password", Map.of("username", "orders"));

  private Map<String, Object> config(KafkaAuthSpec.Sasl sasl, KafkaAuthSpec.Tls tls) {
    KafkaSpec spec = new KafkaSpec();
    spec.setBootstrapServers("kafka:9092");
    spec.setTopics(List.of("orders"));
    if (sasl != null || tls != null) {
      KafkaAuthSpec auth = new KafkaAuthSpec();
      auth.setSasl(sasl);
      auth.setTls(tls);
      spec.setAuth(auth);
    }
    return KafkaClientConfig.of(spec, "shop", (ns, name) -> Optional.ofNullable(secrets.get(name)));
  }

  private static KafkaAuthSpec.Sasl sasl(String mechanism, String secret) {
    KafkaAuthSpec.Sasl s = new KafkaAuthSpec.Sasl();
    s.setMechanism(mechanism);
    s.setSecret(secret);
    return s;
  }

  private static KafkaAuthSpec.Tls tls(String secret) {
    KafkaAuthSpec.Tls t = new KafkaAuthSpec.Tls();
    t.setSecret(secret);
    return t;
  }

  @Test
  void withoutAuthItIsPlaintext() {
    assertThat(config(null, null)).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void scramReadsTheUserAndPasswordWithQuotesAndBackslashesEscaped() {
    Map<String, Object> c = config(sasl(KafkaAuthSpec.SCRAM_SHA_512, "scram"), null);
    assertThat(c)
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"orders\" password=\"p\\\"a\\\\ss\";");
  }

  @Test
  void plainUsesThePlainLoginModule() {
    assertThat(config(sasl(KafkaAuthSpec.PLAIN, "scram"), tls("ca-only")))
        .containsEntry("security.protocol", "SASL_SSL")
        .hasEntrySatisfying(
            "sasl.jaas.config",
            v -> assertThat(v.toString()).startsWith("org.apache.kafka.common.security.plain."));
  }

  @Test
  void tlsTrustsTheCaInPemAndPresentsAClientKeyOnlyWhenThereIsOne() {
    assertThat(config(null, tls("ca-only")))
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", CA)
        .doesNotContainKey("ssl.keystore.type");
    assertThat(config(null, tls("mtls")))
        .containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.certificate.chain", "CERT")
        .containsEntry("ssl.keystore.key", "KEY");
  }

  @Test
  void aMissingSecretOrKeyIsNamedAndNoValueIsShown() {
    assertThatThrownBy(() -> config(sasl(KafkaAuthSpec.SCRAM_SHA_256, "absent"), null))
        .isInstanceOf(TriggerProblem.class)
        .hasMessage("no Secret absent in namespace shop")
        .satisfies(
            e ->
                assertThat(((TriggerProblem) e).reason())
                    .isEqualTo(TriggerProblem.SECRET_NOT_FOUND));
    assertThatThrownBy(() -> config(sasl(KafkaAuthSpec.SCRAM_SHA_256, "no-password"), null))
        .hasMessage("Secret no-password has no key password")
        .hasMessageNotContaining("orders");
  }
}
