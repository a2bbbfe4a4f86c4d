package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every reason the operator can put in a condition is explained in docs/troubleshooting.md. */
class TroubleshootingDocTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path DOC = Path.of("../../docs/troubleshooting.md");
  private static final Pattern REASON =
      Pattern.compile("Verdict\\.(?:ok|failed|waiting)\\(\\s*\"([A-Za-z]+)\"");

  @Test
  void everyConditionReasonHasARow() throws Exception {
    List<String> reasons = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = REASON.matcher(Files.readString(file));
        while (m.find()) {
          reasons.add(m.group(1));
        }
      }
    }
    String doc = Files.readString(DOC);

    assertThat(reasons).as("reasons found in the operator's sources").hasSizeGreaterThan(10);
    assertThat(reasons)
        .allSatisfy(reason -> assertThat(doc).as(reason).contains("`" + reason + "`"));
  }
}
