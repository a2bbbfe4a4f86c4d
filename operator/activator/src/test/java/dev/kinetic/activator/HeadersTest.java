package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void hopByHopHeadersGoWhateverTheirCaseAndOnlyWhole() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Transfer-Encoding", "chunked")
            .add("TE", "trailers")
            .add("keep-ALIVE", "timeout=5")
            .add("X-Te", "1")
            .add("Trailers", "2")
            .add("Content-Type", "text/plain");

    Headers.removeHopByHop(h);

    assertThat(h.names()).containsExactlyInAnyOrder("X-Te", "Trailers", "Content-Type");
  }

  @Test
  void headersTheConnectionHeaderNamesAreDroppedWhateverTheirCase() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "keep-alive, X-Hop")
            .add("x-hop", "secret")
            .add("Keep-Alive", "timeout=5")
            .add("Accept", "text/plain");

    Headers.removeHopByHop(h);

    assertThat(h.names()).containsExactly("Accept");
  }

  @Test
  void aPlainKeepAliveConnectionHeaderDropsOnlyItself() {
    HttpHeaders h = new DefaultHttpHeaders().add("Connection", "Keep-Alive").add("X-Kept", "1");

    Headers.removeHopByHop(h);

    assertThat(h.names()).containsExactly("X-Kept");
  }

  @Test
  void thePodGetsItsOwnHostTheForwardingHeadersAndATraceButNoExpect() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Host", "echo.default.fn.local:8080")
            .add("X-Forwarded-For", "10.0.0.9")
            .add("Expect", "100-continue")
            .add("traceparent", "not a trace");

    Headers.toPod(h, "10.0.0.1", new Endpoint("fd00::5", 8080), "id-1");

    assertThat(h.get("Host")).isEqualTo("[fd00::5]:8080");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("echo.default.fn.local:8080");
    assertThat(h.get("X-Forwarded-For")).isEqualTo("10.0.0.9, 10.0.0.1");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(h.get("X-Request-Id")).isEqualTo("id-1");
    assertThat(h.contains("Expect")).isFalse();
    assertThat(Headers.isTraceparent(h.get("traceparent"))).isTrue();
  }

  @Test
  void aNewTraceparentIsAValidSampledW3cContextWithFreshIds() {
    String one = Headers.newTraceparent().toString();
    String two = Headers.newTraceparent().toString();
    assertThat(Headers.isTraceparent(one)).as(one).isTrue();
    assertThat(one).startsWith("00-").endsWith("-01").isNotEqualTo(two);
    assertThat(one.substring(3, 35)).isNotEqualTo("0".repeat(32));
  }
}
