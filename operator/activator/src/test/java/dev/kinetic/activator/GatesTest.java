package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gates follow the route table: a deleted function's gate is closed, and none is left. */
class GatesTest {
  private static final FunctionKey ECHO = new FunctionKey("default", "echo");
  private final LocalRouteTable routes = new LocalRouteTable();
  private final List<String> demands = new ArrayList<>();
  private final Gates gates =
      new Gates(
          routes,
          ActivatorSettings.defaults(),
          Peers.ALONE,
          (key, waiting, seen) -> demands.add(key + " waiting " + waiting + " seen " + seen),
          System::nanoTime);

  private static Route coldRoute() {
    return new Route(ECHO, 1, Duration.ofMinutes(5), List.of());
  }

  @Test
  void deletingAFunctionClosesItsGateAndTellsWhatWaits() {
    routes.put(coldRoute());
    Gate gate = gates.forRoute(coldRoute());
    GateTest.Held waiting = new GateTest.Held();
    assertThat(gate.admit(waiting)).isEqualTo(Gate.Admission.QUEUED_NO_POD);

    routes.remove(ECHO);

    assertThat(waiting.gone).isTrue();
    assertThat(gates.get(ECHO)).isNull();
    assertThat(gate.admit(new GateTest.Held())).isEqualTo(Gate.Admission.GONE);
  }

  @Test
  void aRequestThatReadTheRouteJustBeforeTheDeletionFindsAClosedGateAndLeavesNoneBehind() {
    // The request's event loop read the route; the deletion ran before it asked for the gate.
    Route readBefore = coldRoute();

    Gate gate = gates.forRoute(readBefore);

    assertThat(gate.admit(new GateTest.Held())).isEqualTo(Gate.Admission.GONE);
    assertThat(gates.get(ECHO)).isNull();
    assertThat(gates.all()).isEmpty();
  }

  @Test
  void aFunctionCreatedAgainGetsAnOpenGate() {
    routes.put(coldRoute());
    Gate first = gates.forRoute(coldRoute());
    routes.remove(ECHO);
    routes.put(coldRoute());

    Gate again = gates.forRoute(coldRoute());

    assertThat(again).isNotSameAs(first);
    assertThat(again.admit(new GateTest.Held())).isEqualTo(Gate.Admission.QUEUED_NO_POD);
  }

  @Test
  void theAutoscalerIsRemindedOfRequestsThatWaitForAPodAndOnlyOfThose() {
    routes.put(coldRoute());
    Gate gate = gates.forRoute(coldRoute());
    gate.admit(new GateTest.Held());
    gate.admit(new GateTest.Held());

    gates.remindAutoscaler();
    gates.remindAutoscaler();

    assertThat(demands)
        .containsExactly("default/echo waiting 2 seen 0", "default/echo waiting 2 seen 0");

    // A pod turns ready and takes one; the other waits for the full pod, which is no cold start.
    demands.clear();
    routes.put(new Route(ECHO, 1, Duration.ofMinutes(5), List.of(new Endpoint("10.85.0.9", 8080))));
    assertThat(gate.queued()).isEqualTo(1);

    gates.remindAutoscaler();

    assertThat(demands).isEmpty();
  }
}
