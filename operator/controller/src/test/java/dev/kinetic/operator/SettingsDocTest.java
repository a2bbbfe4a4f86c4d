package dev.kinetic.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.operator.autoscale.AutoscalerSettings;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every setting of the operator and of its autoscaler has a row in its page of docs/, with the
 * default the code has: each bound is a documented setting (house rule 5), and a default changed in
 * the code and not in the docs fails here.
 */
class SettingsDocTest {
  private static final Path DOCS = Path.of("../../docs");

  @Test
  void everyOperatorSettingHasARowWithItsDefault() throws Exception {
    assertRows(OperatorSettings.class, "operator.md", "kinetic.operator.");
  }

  @Test
  void everyAutoscalerSettingHasARowWithItsDefault() throws Exception {
    // That table's rows name the setting without its prefix, which its header gives.
    assertRows(AutoscalerSettings.class, "autoscaler.md", "");
  }

  private static void assertRows(Class<?> settings, String page, String prefix) throws Exception {
    List<String> rows =
        Files.readAllLines(DOCS.resolve(page)).stream().filter(l -> l.startsWith("| `")).toList();
    List<Method> methods =
        Arrays.stream(settings.getDeclaredMethods()).filter(m -> !m.isSynthetic()).toList();
    assertThat(methods).as(settings.getSimpleName()).hasSizeGreaterThan(3);
    for (Method m : methods) {
      String name = prefix + kebab(m.getName());
      WithDefault fallback = m.getAnnotation(WithDefault.class);
      assertThat(fallback).as(name + " has a default").isNotNull();
      assertThat(rows)
          .as("a row of docs/%s for %s with its default `%s`", page, name, fallback.value())
          .anySatisfy(
              row ->
                  assertThat(row)
                      .startsWith("| `" + name + "`")
                      .contains("| `" + fallback.value() + "` |"));
    }
  }

  /** SmallRye Config's names: routeProbeWait is route-probe-wait. */
  private static String kebab(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }
}
