package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (the JDK's) for the examples' echo, {@code examples/go-hello}'s {@code /echo}:
 * used by local mode's tests and by the real node's.
 */
public final class EchoSocket {
  private EchoSocket() {}

  /**
   * Opens a WebSocket (waiting up to {@code connect} for the handshake: a function at zero starts
   * first), sends each message and waits for its echo, then closes normally.
   *
   * @return what came back, in order
   */
  public static List<String> echoed(URI uri, Duration connect, List<String> messages)
      throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(connect)
            .buildAsync(uri, new Collector(received))
            .get(connect.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    List<String> echoes = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      socket.sendText(messages.get(i), true).get(10, TimeUnit.SECONDS);
      String echo = received.poll(10, TimeUnit.SECONDS);
      assertThat(echo)
          .as("the echo of message %d (%d characters) within 10 s", i, messages.get(i).length())
          .isNotNull();
      echoes.add(echo);
    }
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    return echoes;
  }

  /** Whole text messages, joined from their parts. */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<String> received;
    private final StringBuilder partial = new StringBuilder();

    Collector(BlockingQueue<String> received) {
      this.received = received;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
