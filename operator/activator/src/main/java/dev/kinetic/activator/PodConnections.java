package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One event loop's connections to pods: idle ones kept per pod for the next request, new ones
 * opened on demand. Used only from its event loop, so a request and its pod connection share one
 * thread and nothing here is locked.
 */
final class PodConnections {
  private static final Logger LOG = Logger.getLogger(PodConnections.class.getName());

  /**
   * Idle connections kept per pod and event loop; more are closed. Connections in use are bounded
   * by the slot throttle and by one exchange per client connection.
   */
  static final int MAX_IDLE_PER_POD = 1000;

  /**
   * How long an idle connection is reused. Shorter than the function runtime's idle timeout (the
   * JDK HTTP server closes connections idle for 30 s), so the activator does not send a request on
   * a connection the pod is closing at that moment; an older one is closed instead of reused.
   */
  static final Duration MAX_IDLE = Duration.ofSeconds(15);

  private final Bootstrap bootstrap;
  private final InstantSource clock;
  private final Map<Endpoint, ArrayDeque<Channel>> idle = new HashMap<>();

  /**
   * @param bootstrap bound to this event loop, with the channel type and options set
   */
  PodConnections(Bootstrap bootstrap, int maxResponseHeaderBytes, InstantSource clock) {
    this.clock = clock;
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxHeaderSize(maxResponseHeaderBytes)
            .setMaxInitialLineLength(8192)
            .setUseRfc9112TransferEncoding(true);
    this.bootstrap =
        bootstrap.handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(decoder, false, false), new PodHandler());
              }
            });
  }

  /** An idle connection to the pod, or a new one; the future fails when connecting does. */
  ChannelFuture acquire(Endpoint endpoint) {
    ArrayDeque<Channel> channels = idle.get(endpoint);
    if (channels != null) {
      long now = clock.millis();
      Channel channel;
      while ((channel = channels.pollLast()) != null) {
        PodHandler handler = handler(channel);
        handler.idleIn = null;
        if (channel.isActive() && now - handler.idleSince < MAX_IDLE.toMillis()) {
          return channel.newSucceededFuture();
        }
        channel.close();
      }
    }
    return connect(endpoint);
  }

  /** A new connection to the pod, never an idle one. */
  ChannelFuture connect(Endpoint endpoint) {
    return bootstrap.connect(endpoint.host(), endpoint.port());
  }

  /** Gives back a connection after an exchange: kept for the next one when it can be reused. */
  void release(Endpoint endpoint, Channel channel, boolean reusable) {
    handler(channel).exchange = null;
    if (!reusable || !channel.isActive()) {
      channel.close();
      forgetIfEmpty(endpoint);
      return;
    }
    // Reading may have been paused for a slow client; an idle connection reads, to notice a close.
    channel.config().setAutoRead(true);
    ArrayDeque<Channel> channels = idle.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
    if (channels.size() >= MAX_IDLE_PER_POD) {
      channel.close();
      return;
    }
    channels.addLast(channel);
    PodHandler handler = handler(channel);
    handler.idleIn = channels;
    handler.idleSince = clock.millis();
    handler.endpoint = endpoint;
    handler.pool = this;
  }

  /**
   * Drops a pod's empty stack once its connections close, so pods that come and go (every scale-up
   * brings new addresses) do not leave an entry each behind.
   */
  private void forgetIfEmpty(Endpoint endpoint) {
    ArrayDeque<Channel> channels = idle.get(endpoint);
    if (channels != null && channels.isEmpty()) {
      idle.remove(endpoint);
    }
  }

  /** Pods with an idle-connection stack here (a test reads it). */
  int podsWithIdleConnections() {
    return idle.size();
  }

  /** Attaches an exchange to a connection: what the pod sends goes to it. */
  static void attach(Channel channel, Exchange exchange) {
    PodHandler handler = handler(channel);
    handler.idleIn = null;
    handler.exchange = exchange;
    handler.served++;
  }

  /**
   * Makes sure the exchange on {@code channel} is checked for silence within {@code nanos}. One
   * timer per pod connection, kept across its exchanges and re-armed lazily for what is left of the
   * current one's timeout, so a request schedules and cancels nothing (as the client side's
   * deadline in ClientConnection); a timer set for a later time is brought forward.
   */
  static void watch(Channel channel, long nanos) {
    handler(channel).watch(channel, nanos);
  }

  /** Closes a connection whose exchange ended early; the pod sees the request cut off. */
  static void abandon(Channel channel) {
    handler(channel).exchange = null;
    channel.close();
  }

  private static PodHandler handler(Channel channel) {
    return (PodHandler) channel.pipeline().last();
  }

  /** Passes what the pod sends to the exchange the connection serves. */
  private static final class PodHandler extends ChannelInboundHandlerAdapter {
    Exchange exchange;
    // Set while the connection is idle: the stack it waits in, to leave it when it closes.
    ArrayDeque<Channel> idleIn;
    long idleSince;
    // Exchanges attached so far, this one included: above 1 the connection was kept and reused.
    int served;
    Endpoint endpoint;
    PodConnections pool;
    // The connection's silence check; null when none is pending.
    private ScheduledFuture<?> watch;

    void watch(Channel channel, long nanos) {
      if (watch != null) {
        if (watch.getDelay(TimeUnit.NANOSECONDS) <= nanos) {
          return; // fires soon enough, and re-arms for what is left
        }
        watch.cancel(false);
      }
      arm(channel, nanos);
    }

    private void arm(Channel channel, long nanos) {
      watch = channel.eventLoop().schedule(() -> check(channel), nanos, TimeUnit.NANOSECONDS);
    }

    private void check(Channel channel) {
      watch = null;
      Exchange current = exchange;
      if (current == null || !channel.isActive()) {
        return; // idle: the next exchange arms it again
      }
      long left = current.idleLeft();
      if (left > 0) {
        arm(channel, left);
      } else {
        current.idleTimedOut();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (exchange != null) {
        exchange.fromPod(msg);
      } else {
        // An idle connection has nothing to say; whatever it sends ends it.
        ReferenceCountUtil.release(msg);
        ctx.close();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (exchange != null) {
        exchange.podReadComplete();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (exchange != null) {
        exchange.podWritabilityChanged();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (watch != null) {
        watch.cancel(false);
        watch = null;
      }
      if (exchange != null) {
        Exchange ended = exchange;
        exchange = null;
        ended.podClosed(served > 1);
      } else if (idleIn != null) {
        idleIn.remove(ctx.channel());
        idleIn = null;
        pool.forgetIfEmpty(endpoint);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.log(Level.FINE, cause, () -> "pod connection failed: " + ctx.channel());
      // A reset or a malformed answer: closing tells the exchange (channelInactive).
      ctx.close();
    }
  }
}
