package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import dev.kinetic.function.TestingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
  @TempDir Path tmp;

  @Test
  void keepsWhatItWroteForTheNextRequests() throws Exception {
    Scratch scratch = new Scratch(tmp.resolve("scratch"));
    assertThat(answer(scratch, null)).isEqualTo("{\"wroteBytes\":0,\"keptBytes\":0,\"files\":[]}");

    assertThat(answer(scratch, "mib=2"))
        .isEqualTo("{\"wroteBytes\":2097152,\"keptBytes\":2097152,\"files\":[\"2.mib\"]}");
    assertThat(answer(scratch, "mib=1"))
        .isEqualTo(
            "{\"wroteBytes\":1048576,\"keptBytes\":3145728,\"files\":[\"1.mib\",\"2.mib\"]}");
    // The same size again replaces its file; nothing partial is left beside it.
    answer(scratch, "mib=2");
    assertThat(answer(scratch, null)).contains("\"keptBytes\":3145728");
    try (var files = Files.list(tmp.resolve("scratch"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("1.mib", "2.mib");
    }
    assertThat(Files.size(tmp.resolve("scratch/2.mib"))).isEqualTo(2 << 20);
  }

  @Test
  void aSizeThatIsNotAWholeNumberOfMibInRangeIsABadRequestAndWritesNothing() {
    Scratch scratch = new Scratch(tmp.resolve("scratch"));
    assertThatThrownBy(() -> answer(scratch, "mib=lots"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("mib must be a whole number of MiB, got 'lots'");
    assertThatThrownBy(() -> answer(scratch, "mib=0"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("mib must be between 1 and 10240, got 0");
    assertThatThrownBy(() -> answer(scratch, "mib=10241")).isInstanceOf(BadRequestException.class);
    assertThat(tmp.resolve("scratch")).doesNotExist();
  }

  private static String answer(Scratch scratch, String query) throws Exception {
    Request.Builder request = Request.builder();
    if (query != null) {
      request.rawQuery(query);
    }
    Response response = scratch.handle(request.build(), TestingContext.of("scratch"));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsString();
  }
}
