package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One event loop's pod connections against a real socket standing in for the pod. */
class PodConnectionsTest {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  // Time that moves only when a test moves it.
  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final PodConnections pods =
      new PodConnections(
          new Bootstrap().group(loop).channel(NioSocketChannel.class), 8192, () -> now);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void anIdleConnectionIsReusedAndItsPodForgottenOnceThePodClosesIt() throws Exception {
    try (ServerSocket pod = new ServerSocket(0)) {
      Endpoint endpoint = new Endpoint("127.0.0.1", pod.getLocalPort());
      Channel first = onLoop(() -> pods.acquire(endpoint)).sync().channel();
      try (Socket podSide = pod.accept()) {
        onLoop(() -> release(endpoint, first));
        assertThat(onLoop(pods::podsWithIdleConnections)).isEqualTo(1);
        assertThat(onLoop(() -> pods.acquire(endpoint)).sync().channel()).isSameAs(first);
        onLoop(() -> release(endpoint, first));
      }
      // The pod side closed: the idle connection notices, and the pod's entry goes with it.
      await().until(() -> onLoop(pods::podsWithIdleConnections) == 0);
      assertThat(first.isActive()).isFalse();
    }
  }

  @Test
  void aConnectionIdleLongerThanTheMaximumIsClosedInsteadOfReused() throws Exception {
    try (ServerSocket pod = new ServerSocket(0)) {
      Endpoint endpoint = new Endpoint("127.0.0.1", pod.getLocalPort());
      Channel old = onLoop(() -> pods.acquire(endpoint)).sync().channel();
      onLoop(() -> release(endpoint, old));

      now = now.plus(PodConnections.MAX_IDLE);
      Channel next = onLoop(() -> pods.acquire(endpoint)).sync().channel();

      assertThat(next).isNotSameAs(old);
      old.closeFuture().sync();
      assertThat(next.isActive()).isTrue();
    }
  }

  @Test
  void aConnectionThatCannotBeReusedIsClosedAndNotKept() throws Exception {
    try (ServerSocket pod = new ServerSocket(0)) {
      Endpoint endpoint = new Endpoint("127.0.0.1", pod.getLocalPort());
      Channel channel = onLoop(() -> pods.acquire(endpoint)).sync().channel();
      onLoop(
          () -> {
            pods.release(endpoint, channel, false);
            return null;
          });
      channel.closeFuture().sync();
      assertThat(onLoop(pods::podsWithIdleConnections)).isZero();
    }
  }

  private Void release(Endpoint endpoint, Channel channel) {
    pods.release(endpoint, channel, true);
    return null;
  }

  private <T> T onLoop(Callable<T> work) throws Exception {
    return loop.submit(work).get();
  }
}
