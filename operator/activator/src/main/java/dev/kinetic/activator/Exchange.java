package dev.kinetic.activator;

import static dev.kinetic.activator.ExchangeState.ADMITTING;
import static dev.kinetic.activator.ExchangeState.ANSWERING;
import static dev.kinetic.activator.ExchangeState.CONNECTING;
import static dev.kinetic.activator.ExchangeState.ENDED;
import static dev.kinetic.activator.ExchangeState.FORWARDED;
import static dev.kinetic.activator.ExchangeState.QUEUED;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.Unavailable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One request on its way, as an explicit lifecycle ({@link ExchangeState}): admitted (or queued, or
 * refused), forwarded to a pod once — or once more when the first pod refused the connection,
 * before any byte reached it — and the pod's answer streamed back. Admission (gate, queue, slot,
 * retry: {@link ExchangeAdmission}) and relaying (framing, back-pressure: {@link ExchangeRelay})
 * are its two halves; this class owns the state and how an exchange ends. Everything runs on the
 * client connection's event loop, which is also the pod connection's: a grant from another thread
 * hops there first.
 *
 * <p>The slot is held from the grant until the exchange ends, however it ends: answered, timed out,
 * or abandoned by the client or the pod — and when the client leaves while the pod works on its
 * request, until the pod is done with it.
 */
final class Exchange implements Gate.Waiter {
  private final ClientConnection connection;
  private final ChannelHandlerContext client;
  private final EventLoop loop;
  private final Proxy proxy;
  private final PodConnections pods;
  private final Target target;
  private final String requestId;
  private final ExchangeAdmission admission;
  private final ExchangeRelay relay;
  private ExchangeState state = ADMITTING;
  private Endpoint endpoint;
  private boolean resent;
  private final long arrived;
  // For the access log: the request as the client sent it, before any rewrite for the pod.
  private final String method;
  private final String uri;
  // The status the client got, the pod's or the activator's own; 0 while none has gone out.
  private int status;

  Exchange(
      ClientConnection connection,
      Proxy proxy,
      PodConnections pods,
      HttpRequest request,
      Target target,
      Route route,
      String requestId) {
    this.connection = connection;
    this.client = connection.context();
    this.loop = client.channel().eventLoop();
    this.proxy = proxy;
    this.pods = pods;
    this.target = target;
    this.requestId = requestId;
    this.arrived = proxy.ticker.getAsLong();
    this.method = request.method().name();
    this.uri = request.uri();
    this.admission = new ExchangeAdmission(this, proxy, target, route, loop);
    this.relay =
        new ExchangeRelay(
            this, connection, proxy, pods, request, target, route.timeout(), requestId);
    proxy.exchangeOpened();
  }

  ExchangeState state() {
    return state;
  }

  boolean ended() {
    return state == ENDED;
  }

  private void become(ExchangeState next) {
    if (!state.mayBecome(next)) {
      throw new IllegalStateException(
          "request "
              + requestId
              + " to "
              + target.key()
              + " cannot go from "
              + state
              + " to "
              + next);
    }
    state = next;
  }

  boolean requestComplete() {
    return relay.requestComplete();
  }

  /** Whether the client's connection should be read: for the body, or to notice it closing. */
  boolean wantsClientReads() {
    return relay.wantsClientReads();
  }

  void admit() {
    Gate.Admission outcome = admission.admit();
    switch (outcome) {
      case GRANTED -> {} // granted() has run
      case QUEUED_NO_POD, QUEUED_NO_SLOT, QUEUED_PODS_FULL -> {
        become(QUEUED);
        admission.waitInQueue(outcome);
      }
      case UNAVAILABLE -> answerUnavailable(admission.whyUnavailable());
      case GONE -> answerGone();
      case REJECTED ->
          answer(
              503,
              "queue_full",
              "function "
                  + target.key()
                  + " has "
                  + proxy.settings.queueDepth()
                  + " requests waiting");
    }
  }

  @Override
  public void unavailable(Unavailable why) {
    answerFromTheQueue(() -> answerUnavailable(why));
  }

  @Override
  public void gone() {
    answerFromTheQueue(this::answerGone);
  }

  /** The gate took this exchange out of its queue: answer it on its own loop, if still queued. */
  private void answerFromTheQueue(Runnable answer) {
    loop.execute(
        () -> {
          if (state == QUEUED) {
            admission.cancelTimer();
            answer.run();
          }
        });
  }

  /** 404, as the next request gets: no pod will ever come for a deleted function. */
  private void answerGone() {
    answer(404, "no_function", "function " + target.key() + " was deleted");
  }

  /** 503 at once, with the reason the function cannot start: no point waiting for a pod. */
  private void answerUnavailable(Unavailable why) {
    answer(
        503,
        "function_unavailable",
        target.key()
            + " cannot start a pod ("
            + why.reason()
            + "): "
            + why.message()
            + (why.message().endsWith(".") ? "" : ".")
            + " Requests are answered at once until that changes.");
  }

  @Override
  public void granted(Gate.Lease lease) {
    if (state == ADMITTING && loop.inEventLoop()) {
      forward(lease); // admitted at once, on the request's own event loop
      return;
    }
    loop.execute(
        () -> {
          if (state == QUEUED) {
            admission.grantedAfterWait();
          }
          forward(lease);
        });
  }

  /** The queue's deadline passed: 504, unless the grant won the race. */
  void waitedTooLong(long waitMs) {
    admission.timerFired();
    if (state == QUEUED && admission.leaveQueue()) {
      answer(
          504,
          "no_capacity",
          "no pod of " + target.key() + " could take the request within " + waitMs + " ms");
    }
  }

  private void forward(Gate.Lease granted) {
    if (state == ENDED) {
      granted.release(); // the client went away while waiting
      return;
    }
    become(CONNECTING);
    admission.hold(granted);
    endpoint = granted.endpoint();
    ChannelFuture connecting = pods.acquire(endpoint);
    if (connecting.isDone()) {
      connected(connecting);
    } else {
      connecting.addListener(f -> connected(connecting));
    }
  }

  private void connected(ChannelFuture connecting) {
    if (!connecting.isSuccess()) {
      boolean retry = admission.retryAfterRefusal(endpoint);
      if (state == ENDED) {
        return;
      }
      if (retry) {
        become(ADMITTING);
        admit();
      } else {
        answer(502, "pod_unreachable", "no pod of " + target.key() + " accepted a connection");
      }
      return;
    }
    if (state == ENDED) {
      pods.release(endpoint, connecting.channel(), true);
      admission.release();
      return;
    }
    become(FORWARDED);
    relay.send(endpoint, connecting.channel());
  }

  /** A part of the request body. */
  void fromClient(HttpContent part) {
    relay.fromClient(part);
  }

  /** Bytes from the client once the pod switched protocols. */
  void fromClientSwitched(ByteBuf bytes) {
    relay.fromClientSwitched(bytes);
  }

  void clientReadComplete() {
    relay.clientReadComplete();
  }

  void podWritabilityChanged() {
    relay.podWritabilityChanged();
  }

  /** For the pod connection's watch ({@link PodConnections#watch}). */
  long idleLeft() {
    return relay.idleLeft();
  }

  void idleTimedOut() {
    relay.timedOut();
  }

  /** A part of the pod's answer, or once the protocol switched, its bytes. */
  void fromPod(Object msg) {
    relay.fromPod(msg);
  }

  void podReadComplete() {
    relay.podReadComplete();
  }

  void clientWritabilityChanged() {
    relay.clientWritabilityChanged();
  }

  /** The relay is writing the pod's answer head: from now on an error can only cut. */
  void answerBegins(int podStatus) {
    status = podStatus;
    become(ANSWERING);
  }

  /** The pod's answer went out whole. */
  void answered(boolean podReusable) {
    end(podReusable);
  }

  /**
   * The pod closed or reset the connection before the end of its answer. A kept connection that
   * closes before any answer is most likely one the pod was closing as idle while this request was
   * on its way (the race every keep-alive pool has): an idempotent request without a body is sent
   * once more, on a new connection to the same pod, in the slot it holds (RFC 9110 §9.2.2).
   */
  void podClosed(boolean keptConnection) {
    relay.podGone();
    if (relay.switched()) {
      end(false); // the pod ended the switched protocol: the client's connection closes too
      return;
    }
    if (state == FORWARDED
        && keptConnection
        && !resent
        && relay.replayable()
        && !relay.dropping()) {
      resent = true;
      become(CONNECTING);
      ChannelFuture connecting = pods.connect(endpoint);
      connecting.addListener(f -> connected(connecting));
      return;
    }
    if (state != ENDED) {
      fail(502, "pod_error", "the pod closed the connection before answering");
    }
  }

  /**
   * The client closed its connection. A pod that has its whole request and has not begun to answer
   * keeps the slot until its answer ends ({@link ExchangeRelay#dropTheAnswer}); anything else the
   * pod still does for it — a body cut short, an answer under way, which a streaming function stops
   * only when its connection closes — is abandoned.
   */
  void clientGone() {
    if (state == ENDED) {
      return;
    }
    leaveQueueIfWaiting();
    if (state == FORWARDED && relay.dropTheAnswer()) {
      return;
    }
    relay.abandonPod();
    end(false);
  }

  /**
   * The client stopped sending its body for longer than the body timeout: 408 if the answer has not
   * begun (the pod's connection, holding a cut request, is closed), else the connection cut.
   */
  void clientStalled(java.time.Duration limit) {
    if (state == ENDED) {
      return;
    }
    leaveQueueIfWaiting();
    fail(
        408,
        "body_timeout",
        "the request body stopped arriving for more than " + limit.toMillis() + " ms");
  }

  /** The activator stops before this exchange ended: 503 if the answer has not begun, else cut. */
  void shutDown() {
    if (state == ENDED) {
      return;
    }
    leaveQueueIfWaiting();
    fail(503, "shutting_down", "the activator stopped before this request was answered; retry");
  }

  /** If the grant is already on its way it stands, and forward() gives the slot back. */
  private void leaveQueueIfWaiting() {
    if (state == QUEUED) {
      admission.leaveQueue();
    }
  }

  /**
   * Ends an exchange that broke: the pod's connection is closed, and the client gets the error —
   * or, when the answer's head has already gone out, a closed connection, all that can still tell
   * it the answer broke.
   */
  void fail(int status, String code, String message) {
    relay.abandonPod();
    if (state == ANSWERING || relay.dropping()) { // nobody to answer, or too late to
      proxy.stats.rejected(target.key(), admission.gate(), code);
      end(false);
      client.close();
    } else {
      answer(status, code, message);
    }
  }

  /** The activator's own answer to this request, counted by its code; ends the exchange. */
  private void answer(int status, String code, String message) {
    this.status = status;
    proxy.stats.rejected(target.key(), admission.gate(), code);
    ErrorReplies.send(
        client,
        relay.clientVersion(),
        relay.keepClient(),
        proxy.settings.clients().linger(),
        status,
        code,
        message,
        requestId);
    end(false);
  }

  /** Frees the slot, gives back or closes the pod's connection, and lets the next request go. */
  private void end(boolean podReusable) {
    if (state == ENDED) {
      return;
    }
    become(ENDED);
    long nanos = proxy.ticker.getAsLong() - arrived;
    if (admission.gate() != null) {
      proxy.stats.responded(target.key(), admission.gate(), status, nanos);
    }
    proxy.accessLog.ended(
        target.key(), method, uri, status, nanos, requestId, connection.clientAddress(), endpoint);
    admission.cancelTimer();
    relay.finish(podReusable);
    admission.release();
    proxy.exchangeEnded();
    connection.finished(this);
  }
}
