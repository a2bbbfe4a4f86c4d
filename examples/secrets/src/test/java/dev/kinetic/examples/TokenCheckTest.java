package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.Request;
import dev.kinetic.function.TestingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCheckTest {
  private static final String SECRET = "s3cr3t-value-from-the-secret";
  private final TokenCheck check = new TokenCheck(Map.of("API_TOKEN", SECRET));

  @Test
  void theRightTokenIsAdmitted() {
    TestingContext context = TestingContext.of("secrets");
    var response = check.handle(bearer(SECRET), context);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(String.join("\n", context.loggedLines())).doesNotContain(SECRET);
  }

  @Test
  void aWrongOrMissingTokenIs401AndNeitherTokenIsLoggedOrAnswered() {
    TestingContext context = TestingContext.of("secrets");
    var wrong = check.handle(bearer("guess-123"), context);
    var missing = check.handle(Request.builder().build(), context);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().get("WWW-Authenticate")).containsExactly("Bearer");
    String everything =
        String.join("\n", context.loggedLines()) + wrong.bodyAsString() + missing.bodyAsString();
    assertThat(everything).doesNotContain(SECRET).doesNotContain("guess-123");
    assertThat(context.loggedLines())
        .containsExactly("WARN denied: wrong token", "WARN denied: no bearer token");
  }

  @Test
  void withoutTheVariableTheFunctionRefusesToStartAndSaysWhich() {
    assertThatThrownBy(() -> new TokenCheck(Map.of())).hasMessageContaining("API_TOKEN is not set");
  }

  @Test
  void aTokenFileIsReadOnEachRequestSoARotatedSecretNeedsNoRestart(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, SECRET + "\n");
    TokenCheck fromFile = new TokenCheck(Map.of("API_TOKEN_FILE", file.toString()));
    assertThat(fromFile.handle(bearer(SECRET), TestingContext.of("secrets")).statusCode())
        .isEqualTo(200);

    Files.writeString(file, "rotated");
    assertThat(fromFile.handle(bearer(SECRET), TestingContext.of("secrets")).statusCode())
        .isEqualTo(401);
    assertThat(fromFile.handle(bearer("rotated"), TestingContext.of("secrets")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTokenFileThatCannotBeReadStopsTheStartAndIsNamed(@TempDir Path dir) {
    String missing = dir.resolve("absent").toString();
    assertThatThrownBy(() -> new TokenCheck(Map.of("API_TOKEN_FILE", missing)))
        .hasMessage(
            "API_TOKEN_FILE names " + missing + ", which cannot be read; is the Secret mounted?");
  }

  private static Request bearer(String token) {
    return Request.builder().header("Authorization", "Bearer " + token).build();
  }
}
