package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.spi.transport.Transport;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  private static final Transport NIO =
      NetworkTransport.fromEnv(Map.of("KINETIC_ACTIVATOR_TRANSPORT", "nio")).implementation();

  /** A proxy that takes the warm-up's connection and never answers must not keep it open. */
  @Test
  void aConnectionStillOpenAtTheTimeoutIsClosed() throws Exception {
    EventLoopGroup group =
        NIO.eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1, new DefaultThreadFactory("t"), 0);
    try (ServerSocket silent = new ServerSocket(0)) {
      var done = WarmUp.request(group, NIO, silent.getLocalPort(), 200);
      try (Socket accepted = silent.accept()) {
        accepted.setSoTimeout(10_000);
        InputStream in = accepted.getInputStream();
        byte[] request = in.readNBytes(4);
        assertThat(new String(request, StandardCharsets.US_ASCII)).isEqualTo("GET ");
        await().atMost(Duration.ofSeconds(10)).until(done::isDone);
        // readAllBytes returns only at the end of the stream (or throws at the socket timeout):
        // the warm-up closed its side after a whole request.
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).endsWith("\r\n\r\n");
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
