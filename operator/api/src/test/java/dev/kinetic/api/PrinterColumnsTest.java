package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kubectl get} prints a CRD's columns in the CRD's order: the generated CRDs keep the order
 * the annotations declare (fabric8's generator alone sorts them by name, which put AGE first).
 */
class PrinterColumnsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "functions.kinetic.dev-v1.yml, Ready/Reason/Replicas/URL/Image/Visibility/Desired/Last Scale/Age",
    "triggers.kinetic.dev-v1.yml,"
        + " Function/Ready/Reason/Next/Delivered/Failed/Lag/Schedule/Last Success/Age"
  })
  void theColumnsAreInTheirDeclaredOrderWithAgeLast(String crdFile, String columns)
      throws IOException {
    Path crd = Path.of("target", "kubernetes", crdFile);
    try (InputStream in = Files.newInputStream(crd)) {
      CustomResourceDefinition definition =
          new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      assertThat(
              definition.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                  .map(CustomResourceColumnDefinition::getName))
          .containsExactlyElementsOf(List.of(columns.split("/")));
    }
  }
}
