package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTest {
  record Order(String item, int quantity) {}

  @Test
  void decodesTheQueryAndKeepsRepeatedParameters() {
    Request r = Request.builder().rawQuery("name=Ada%20L&tag=a&tag=b&flag").build();
    assertThat(r.queryParam("name")).hasValue("Ada L");
    assertThat(r.query().get("tag")).isEqualTo(List.of("a", "b"));
    assertThat(r.queryParam("flag")).hasValue("");
    assertThat(r.queryParam("missing")).isEmpty();
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    Request r = Request.builder().header("Content-Type", "application/json").build();
    assertThat(r.header("content-type")).hasValue("application/json");
  }

  @Test
  void bindsAJsonBody() {
    Request r = Request.builder().body("{\"item\":\"tea\",\"quantity\":2}").build();
    assertThat(r.bodyAs(Order.class)).isEqualTo(new Order("tea", 2));
  }

  @Test
  void aBodyThatIsNotJsonForTheTypeIsABadRequestNamingTheProblem() {
    assertThatThrownBy(() -> Request.builder().body("{\"item\":").build().bodyAs(Order.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(
            () -> Request.builder().body("{\"itme\":\"tea\"}").build().bodyAs(Order.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("itme");
    assertThatThrownBy(() -> Request.builder().build().bodyAs(Order.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("no body");
  }

  @Test
  void aMalformedPercentEscapeIsABadRequest() {
    assertThatThrownBy(() -> Request.builder().rawQuery("q=%zz").build())
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("malformed query");
  }
}
