package dev.kinetic.runtime;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** A host on an ephemeral port with a test's function, its log in memory, and a client. */
final class RunningHost implements AutoCloseable {
  final FunctionHost host;
  final StringWriter logOutput = new StringWriter();
  final RecordingMetrics metrics = new RecordingMetrics();
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private boolean drained;

  RunningHost(RuntimeSettings settings, Invoker function) {
    JsonLog log = new JsonLog(logOutput, Clock.systemUTC());
    // As Main does: with its function, the host is never seen not ready; without, it is until a
    // test calls ready().
    host =
        FunctionHost.start(settings, log, Clock.systemUTC(), System::nanoTime, metrics, function);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + host.port() + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  String log() {
    return logOutput.toString();
  }

  void drain() {
    drained = true;
    host.drain();
  }

  @Override
  public void close() {
    if (!drained) {
      host.drain();
    }
  }
}
