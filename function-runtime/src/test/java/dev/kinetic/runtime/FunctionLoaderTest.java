package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Response;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionLoaderTest {
  public static final class Named implements HttpFunction {
    @Override
    public Response handle(
        dev.kinetic.function.Request request, dev.kinetic.function.Context context) {
      return Response.ok("named");
    }
  }

  @Test
  void loadsTheNamedClass() {
    Object function =
        FunctionLoader.load(Optional.of(Named.class.getName()), getClass().getClassLoader());
    assertThat(function).isInstanceOf(Named.class);
  }

  @Test
  void aMissingClassIsAnErrorThatNamesIt() {
    assertThatThrownBy(
            () -> FunctionLoader.load(Optional.of("com.example.Nope"), getClass().getClassLoader()))
        .hasMessageContaining("KINETIC_FUNCTION_CLASS names com.example.Nope, not found");
  }

  @Test
  void withoutANameExactlyOneRegisteredFunctionIsRequired() {
    // The test classpath registers none.
    assertThatThrownBy(() -> FunctionLoader.load(Optional.empty(), getClass().getClassLoader()))
        .hasMessageContaining("expected exactly one function, found []");
  }

  @Test
  void aClassThatIsNoFunctionIsRefusedByName() {
    assertThatThrownBy(() -> Invokers.of("a string"))
        .hasMessageContaining("java.lang.String implements none of HttpFunction");
  }
}
