package dev.kinetic.runtime;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Serves the function: bounds first (readiness, header and body size, concurrency), then the call
 * under its deadline, then the one response, one access-log line and the metrics.
 */
final class FunctionHandler implements HttpHandler {
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final RuntimeSettings settings;
  private final JsonLog log;
  private final Clock clock;
  private final LongSupplier nanos;
  private final RequestMetrics metrics;
  private final Watchdog watchdog;
  private final Semaphore permits;
  private final AtomicReference<Invoker> invoker = new AtomicReference<>();
  private volatile boolean draining;
  private final AtomicBoolean first = new AtomicBoolean(true);
  private final AtomicInteger active = new AtomicInteger();
  private volatile Runnable firstResponseHook;

  FunctionHandler(
      RuntimeSettings settings,
      JsonLog log,
      Clock clock,
      LongSupplier nanos,
      RequestMetrics metrics,
      Watchdog watchdog) {
    this.settings = settings;
    this.log = log;
    this.clock = clock;
    this.nanos = nanos;
    this.metrics = metrics;
    this.watchdog = watchdog;
    this.permits = new Semaphore(settings.concurrencyLimit());
  }

  void afterFirstResponse(Runnable action) {
    firstResponseHook = action;
  }

  void ready(Invoker function) {
    invoker.set(function);
  }

  /**
   * Draining: readiness fails so no new traffic is sent here, but requests that still arrive on
   * open connections are served — a caller that chose this instance a moment ago must not get a 503
   * for it. The listener is closed separately.
   */
  void drain() {
    draining = true;
  }

  boolean isReady() {
    return invoker.get() != null && !draining;
  }

  /**
   * Waits until no exchange is being handled, for at most {@code timeout}. True when idle.
   * Functions that ignore their deadline are waited for too, up to this bound.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (active) {
      while (active.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(active, left);
      }
    }
    return true;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    active.incrementAndGet();
    try {
      handleCounted(exchange);
    } finally {
      synchronized (active) {
        if (active.decrementAndGet() == 0) {
          active.notifyAll();
        }
      }
    }
  }

  private void handleCounted(HttpExchange exchange) throws IOException {
    try (exchange) {
      long start = nanos.getAsLong();
      Headers headers = exchange.getRequestHeaders();
      String incomingId = headers.getFirst("X-Request-Id");
      String requestId =
          incomingId != null && REQUEST_ID.matcher(incomingId).matches()
              ? incomingId
              : Trace.randomHex(32);
      Invoker function = invoker.get();
      if (function == null) {
        send(exchange, ErrorResponses.notReady(requestId), requestId);
        return;
      }
      if (headerBytes(headers) > settings.maxHeaderBytes()) {
        send(
            exchange,
            ErrorResponses.headersTooLarge(settings.maxHeaderBytes(), requestId),
            requestId);
        return;
      }
      if (declaredLength(headers) > settings.maxBodyBytes()) {
        send(exchange, ErrorResponses.bodyTooLarge(settings.maxBodyBytes(), requestId), requestId);
        return;
      }
      if (!permits.tryAcquire()) {
        send(
            exchange, ErrorResponses.overloaded(settings.concurrencyLimit(), requestId), requestId);
        return;
      }
      Slot slot = new Slot();
      try {
        serve(exchange, function, requestId, start, slot);
      } finally {
        // Held until the function has returned, even after a 504: a function that ignores its
        // deadline keeps its slot, so the limit holds for what really runs.
        slot.run();
      }
    }
  }

  /** One request's concurrency permit, returned exactly once (a class: no lambda at start-up). */
  private final class Slot implements Runnable {
    private final AtomicBoolean free = new AtomicBoolean();

    @Override
    public void run() {
      if (free.compareAndSet(false, true)) {
        permits.release();
      }
    }
  }

  /**
   * @param slotDone frees the concurrency slot; called once the function has returned and before
   *     its response is sent, because a caller that has the whole response may send the next
   *     request at once and must find the slot free
   */
  private void serve(
      HttpExchange exchange, Invoker function, String requestId, long start, Runnable slotDone)
      throws IOException {
    byte[] body = readBounded(exchange.getRequestBody(), settings.maxBodyBytes());
    if (body == null) {
      slotDone.run();
      send(exchange, ErrorResponses.bodyTooLarge(settings.maxBodyBytes(), requestId), requestId);
      return;
    }
    boolean cold = first.compareAndSet(true, false);
    Trace trace =
        Trace.from(Optional.ofNullable(exchange.getRequestHeaders().getFirst("traceparent")));
    RequestContext context =
        new RequestContext(
            requestId,
            settings.functionName(),
            settings.namespace(),
            clock.instant().plus(settings.timeout()),
            trace,
            clock,
            log);
    Request request;
    try {
      request = toRequest(exchange, body);
    } catch (BadRequestException e) {
      slotDone.run();
      send(exchange, ErrorResponses.badRequest(e.getMessage(), requestId), requestId);
      return;
    }
    metrics.requestStarted();
    long invoked = nanos.getAsLong();
    Call call = new Call(exchange, context, start, invoked, cold);
    Watchdog.Armed deadline = watchdog.arm(settings.timeout(), call);
    Response response;
    String reason;
    Throwable failure = null;
    try {
      response = function.invoke(request, context);
      reason =
          response == null ? "exception" : response.statusCode() >= 500 ? "error_response" : "ok";
      if (response == null) {
        failure = new IllegalStateException("the function returned no response");
        response = ErrorResponses.failed(requestId);
      }
    } catch (BadRequestException e) {
      response = ErrorResponses.badRequest(e.getMessage(), requestId);
      reason = "client_error";
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      // Errors that leave the JVM sound are the function's failure; OutOfMemoryError and the like
      // propagate and end the process, which the kubelet restarts.
      failure = e;
      response = ErrorResponses.failed(requestId);
      reason = "exception";
    }
    boolean inTime = deadline.finish();
    slotDone.run();
    if (inTime) {
      finish(call, response, reason, failure);
    } else {
      log.write(
          "WARN",
          "the function returned after its deadline; its result was discarded",
          context.fields(),
          failure);
    }
  }

  /**
   * A request the function runs for, answered exactly once: by the function's result or, as this
   * Runnable on the watchdog's thread, by its deadline.
   */
  private final class Call implements Runnable {
    final HttpExchange exchange;
    final RequestContext context;
    final long start;
    final long invoked;
    final boolean cold;

    Call(HttpExchange exchange, RequestContext context, long start, long invoked, boolean cold) {
      this.exchange = exchange;
      this.context = context;
      this.start = start;
      this.invoked = invoked;
      this.cold = cold;
    }

    @Override
    public void run() {
      Response timedOut =
          ErrorResponses.timedOut(settings.timeout().toMillis(), context.requestId());
      finish(this, timedOut, "timeout", null);
    }
  }

  /** The single place a served request is answered, logged and counted. */
  private void finish(Call call, Response response, String reason, Throwable failure) {
    HttpExchange exchange = call.exchange;
    RequestContext context = call.context;
    long start = call.start;
    boolean cold = call.cold;
    long end = nanos.getAsLong();
    long billed = Metering.billedMillis(end - call.invoked);
    if (failure != null) {
      log.write("ERROR", "the function failed", context.fields(), failure);
    }
    try {
      send(exchange, response, context.requestId());
    } catch (IOException e) {
      log.write("WARN", "could not send the response: " + e.getMessage(), context.fields(), null);
    } finally {
      exchange.close();
    }
    Map<String, Object> fields = new LinkedHashMap<>(context.fields());
    fields.put("method", exchange.getRequestMethod());
    fields.put("path", exchange.getRequestURI().getRawPath());
    fields.put("status", response.statusCode());
    fields.put("duration_ms", (end - start) / 1e6);
    fields.put("billed_ms", billed);
    fields.put("cold", cold);
    log.write("INFO", "request", fields, null);
    metrics.requestFinished(
        new RequestMetrics.Outcome(response.statusCode(), reason, end - start, billed, cold));
    Runnable hook = firstResponseHook;
    if (cold && hook != null) {
      hook.run();
    }
  }

  static void send(HttpExchange exchange, Response response, String requestId) throws IOException {
    Headers out = exchange.getResponseHeaders();
    for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
      out.put(header.getKey(), List.copyOf(header.getValue()));
    }
    out.set("X-Request-Id", requestId);
    byte[] body = response.body();
    boolean noBody =
        body.length == 0 || response.statusCode() == 204 || response.statusCode() == 304;
    if (exchange.getRequestMethod().equals("HEAD")) {
      // The headers a GET would get, its length included, and no body. The JDK's server takes a
      // HEAD response's length only as a header: given one as the length to send, it warns, drops
      // the header and closes the body stream, so the write that followed failed.
      if (!noBody) {
        out.set("Content-Length", Integer.toString(body.length));
      }
      exchange.sendResponseHeaders(response.statusCode(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static Request toRequest(HttpExchange exchange, byte[] body) {
    return Request.builder()
        .method(exchange.getRequestMethod())
        .path(exchange.getRequestURI().getRawPath())
        .rawQuery(exchange.getRequestURI().getRawQuery())
        .headers(exchange.getRequestHeaders())
        .body(body)
        .build();
  }

  /** Bytes of the header block as sent: name, ": ", value, CRLF for each. */
  private static long headerBytes(Headers headers) {
    long total = 0;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      for (String value : h.getValue()) {
        total += h.getKey().length() + value.length() + 4;
      }
    }
    return total;
  }

  private static long declaredLength(Headers headers) {
    String value = headers.getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // the server itself refuses such a request before it gets here
    }
  }

  /** The whole body, or null when it is longer than {@code limit}; never buffers more. */
  private static byte[] readBounded(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) != -1) {
      if (out.size() + n > limit) {
        return null;
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }
}
