package dev.kinetic.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every section a benchmark writes into docs/benchmarks.md still has its markers: a hand edit that
 * loses them makes the benchmark fail only after its whole run.
 */
class BenchmarksDocTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern WRITE_SECTION =
      Pattern.compile("WriteSection docs/benchmarks\\.md ([a-z-]+)");

  @Test
  void everySectionTheBenchmarksWriteHasItsMarkersInOrder() throws IOException {
    List<String> sections = new ArrayList<>();
    for (Path script :
        List.of(
            ROOT.resolve("Makefile"),
            ROOT.resolve("benchmarks/activator/run.sh"),
            ROOT.resolve("benchmarks/runtime/tiers.sh"))) {
      Matcher m = WRITE_SECTION.matcher(Files.readString(script));
      while (m.find()) {
        sections.add(m.group(1));
      }
    }
    sections.add("coldstart-jdk17"); // ColdStart --write-docs, on each JDK
    sections.add("coldstart-jdk25");
    assertThat(sections)
        .contains(
            "activator",
            "runtime-tiers",
            "activator-jmh",
            "autoscaler-jmh",
            "local",
            "triggers",
            "cluster");

    String doc = Files.readString(ROOT.resolve("docs/benchmarks.md"));
    for (String section : sections) {
      // Throws with the section's name when a marker is missing or out of order.
      assertThat(MarkdownSection.replace(doc, section, "x")).contains("x");
    }
  }
}
