package dev.kinetic.api.crd;

import dev.kinetic.api.Function;
import dev.kinetic.api.Trigger;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes the Function and Trigger CRDs, run by the build ({@code process-classes}) with fabric8's
 * CRD generator, as its Maven plugin would, plus one step the plugin cannot take: the printer
 * columns keep the order their annotations are declared in. The generator sorts them by name
 * (fabric8io/kubernetes-client#7454), so {@code kubectl get fn} printed AGE first and URL last;
 * kubectl shows them in the CRD's order. Not used at run time: the generator is a build-only
 * dependency.
 */
public final class GenerateCrds {
  private static final Map<String, Class<? extends HasMetadata>> BY_KIND =
      Map.of("Function", Function.class, "Trigger", Trigger.class);

  private GenerateCrds() {}

  /**
   * @param args the directory to write {@code <plural>.<group>-v1.yml} into
   */
  public static void main(String[] args) {
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .customResourceClasses(Function.class, Trigger.class)
            .forCRDVersions("v1")
            .withPostProcessor(declaredColumnOrder())
            .inOutputDir(out)
            .generate();
    System.out.println("generated " + written + " CRDs into " + out);
  }

  /** Puts each version's printer columns in the order of the kind's annotations. */
  static CRDPostProcessor declaredColumnOrder() {
    return new CRDPostProcessor() {
      @Override
      public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
          List<String> declared = declaredColumns(definition.getSpec().getNames().getKind());
          for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            if (version.getAdditionalPrinterColumns() != null) {
              version
                  .getAdditionalPrinterColumns()
                  .sort(
                      Comparator.comparingInt(
                          (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
          }
        }
        return crd;
      }
    };
  }

  /** The names of a kind's printer columns, in the order they are declared. */
  static List<String> declaredColumns(String kind) {
    Class<? extends HasMetadata> type = BY_KIND.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("no custom resource class for kind " + kind);
    }
    return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }
}
