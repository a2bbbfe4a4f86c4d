package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KineticCommandTest {
  @Test
  void statusWithNothingListeningSaysSoAndFails() throws IOException {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    PrintStream previous = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true));
    int exit;
    try {
      // Status prints its tables and this message on System.out, not picocli's writer.
      exit =
          new CommandLine(new KineticCommand())
              .execute("status", "--status-port", "" + free, "--admin-port", "" + free);
    } finally {
      System.setOut(previous);
    }

    assertThat(exit).isEqualTo(1);
    assertThat(printed.toString())
        .startsWith("no kinetic local answers on ports " + free + "/" + free + " (")
        .doesNotContain("(null)");
  }

  @Test
  void theReasonIsTheFirstMessageInTheChainOrTheExceptionsKind() {
    assertThat(KineticCommand.Status.reason(new IOException("wrapped", new ConnectException("x"))))
        .isEqualTo("wrapped");
    assertThat(KineticCommand.Status.reason(new IOException(null, new ConnectException("refused"))))
        .isEqualTo("refused");
    assertThat(KineticCommand.Status.reason(new ConnectException()))
        .isEqualTo("connection refused");
    assertThat(KineticCommand.Status.reason(new IOException())).isEqualTo("IOException");
  }

  @Test
  void everySubcommandPrintsTheSameVersionAsTheCommand() {
    String top = version();

    assertThat(top).startsWith("kinetic ");
    assertThat(version("local")).isEqualTo(top);
    assertThat(version("status")).isEqualTo(top);
  }

  private static String version(String... subcommand) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new KineticCommand()).setOut(new PrintWriter(out));
    String[] args = Arrays.copyOf(subcommand, subcommand.length + 1);
    args[subcommand.length] = "-V";
    assertThat(command.execute(args)).isZero();
    return out.toString().strip();
  }
}
