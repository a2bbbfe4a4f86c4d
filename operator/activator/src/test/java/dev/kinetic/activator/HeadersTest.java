package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void hopByHopNamesMatchInAnyCaseAndOnlyWhole() {
    assertThat(Headers.isHopByHop("Transfer-Encoding")).isTrue();
    assertThat(Headers.isHopByHop("TE")).isTrue();
    assertThat(Headers.isHopByHop("keep-ALIVE")).isTrue();
    assertThat(Headers.isHopByHop("X-Te")).isFalse();
    assertThat(Headers.isHopByHop("Trailers")).isFalse();
    assertThat(Headers.isHopByHop("Content-Type")).isFalse();
  }

  @Test
  void headersTheConnectionHeaderNamesAreDroppedWhateverTheirCase() {
    MultiMap in =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "keep-alive, X-Hop")
            .add("x-hop", "secret")
            .add("Keep-Alive", "timeout=5")
            .add("Accept", "text/plain");

    assertThat(Headers.endToEnd(in).names()).containsExactly("Accept");
  }

  @Test
  void aPlainKeepAliveConnectionHeaderDropsOnlyItself() {
    MultiMap in =
        MultiMap.caseInsensitiveMultiMap().add("Connection", "Keep-Alive").add("X-Kept", "1");

    assertThat(Headers.endToEnd(in).names()).containsExactly("X-Kept");
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
