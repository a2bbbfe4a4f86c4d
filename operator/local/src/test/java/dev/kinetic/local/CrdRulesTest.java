package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CRD's CEL rules evaluated by local mode, with the CRD's own messages. */
class CrdRulesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final CrdRules RULES = CrdRules.fromJar(YAML, CrdRules.FUNCTIONS_CRD);
  private static final String VALID =
      """
      apiVersion: kinetic.dev/v1alpha1
      kind: Function
      metadata: {name: hello}
      spec:
        image: example.com/hello:1
        env: [{name: GREETING, value: hi}]
        concurrency: {hard: 10, target: 7}
        scale: {min: 0, max: 5, idleTimeout: 90s}
      """;

  @SuppressWarnings("unchecked")
  private static java.util.List<String> violations(String yaml) {
    return RULES.violations(YAML.unmarshal(yaml, Map.class));
  }

  @Test
  void aValidManifestPassesEveryRule() {
    assertThat(violations(VALID)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name: hello | name: Hello_World | metadata.name must be a DNS-1035 label",
        "target: 7 | target: 11 | spec.concurrency: concurrency.target must not exceed concurrency.hard",
        "name: GREETING | name: KINETIC_X | spec.env: env[].name PORT and names starting with KINETIC_ are"
            + " reserved",
        "idleTimeout: 90s | idleTimeout: soon | spec.scale.idleTimeout: scale.idleTimeout must be a duration",
        "idleTimeout: 90s | idleTimeout: 25h | spec.scale.idleTimeout: scale.idleTimeout must be at most 24h",
        "min: 0, max: 5 | min: 6, max: 5 | spec.scale: scale.min must be less than or equal to scale.max",
      })
  void eachBrokenRuleIsReportedWithItsPathAndTheCrdsMessage(
      String from, String to, String message) {
    assertThat(violations(VALID.replace(from, to)))
        .anySatisfy(v -> assertThat(v).startsWith(message));
  }
}
