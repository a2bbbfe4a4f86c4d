package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String STATUS =
      """
      {"functions":[
        {"namespace":"default","name":"hello","url":"http://localhost:8080/default/hello/",
         "desired":1,"ready":1,
         "conditions":[{"type":"Ready","status":"True","reason":"Running","message":"1 of 1"}]},
        {"namespace":"payments-eu-west","name":"settle-invoices",
         "url":"http://localhost:8080/payments-eu-west/settle-invoices/","desired":1,"ready":0,
         "conditions":[{"type":"Ready","status":"False","reason":"CrashLoop",
                        "message":"the process exited 2 times, last with code 1"}]}],
       "triggers":[
        {"namespace":"default","name":"cron-report-every-minute","function":"cron-report",
         "source":"* * * * *","delivered":3,"failed":0,"nextFireTime":"2026-12-05T17:02:00Z",
         "conditions":[{"type":"Ready","status":"True","reason":"Scheduled"}]},
        {"namespace":"default","name":"orders","function":"kafka-orders","source":"kafka orders",
         "delivered":0,"failed":0,"nextFireTime":null,
         "conditions":[{"type":"Ready","status":"False","reason":"KafkaUnreachable",
                        "message":"no answer from my-cluster-kafka-bootstrap.kafka:9092"}]},
        {"namespace":"default","name":"orders-eu","function":"kafka-orders","source":"kafka eu",
         "delivered":12,"failed":1,"lag":40,
         "conditions":[{"type":"Ready","status":"True","reason":"Consuming"}]}],
       "refused":["bad.yaml: spec.port: must have a maximum value of 65535.0"]}
      """;

  private static final String STATS =
      """
      {"functions":[
        {"namespace":"default","name":"hello","inFlight":4,"queued":0,"averageConcurrency":3.25,
         "requestsPerSecond":412.5},
        {"namespace":"payments-eu-west","name":"settle-invoices","inFlight":0,"queued":7,
         "averageConcurrency":7}]}
      """;

  @Test
  void everyColumnStartsAtTheSamePlaceInEveryRowHoweverLongAName() throws Exception {
    List<String> lines = StatusView.lines(JSON.readTree(STATUS), JSON.readTree(STATS));

    List<String> functions = List.of(lines.get(0), lines.get(1), lines.get(2));
    assertColumnsAligned(
        functions, "URL", "READY", "IN-FLIGHT", "QUEUED", "AVG-1S", "RPS-1S", "CONDITION");
    assertThat(lines.get(1))
        .startsWith("default/hello ")
        .contains(" 1/1 ", " 4 ", " 0 ", " 3.3 ", " 412.5 ")
        .endsWith("Ready=True Running");
    assertThat(lines.get(2))
        .startsWith("payments-eu-west/settle-invoices   http://localhost:8080/payments-eu-west/")
        .contains(" 0/1 ", " 7 ", " 7.0 ", " 0.0 ")
        .endsWith("Ready=False CrashLoop");

    List<String> triggers = List.of(lines.get(5), lines.get(6), lines.get(7), lines.get(9));
    assertColumnsAligned(triggers, "FUNCTION", "SOURCE", "DELIVERED", "FAILED", "NEXT/LAG");
    assertThat(lines.get(6))
        .startsWith("default/cron-report-every-minute   cron-report ")
        .contains(" 2026-12-05T17:02:00Z ");
    assertThat(lines.get(7)).contains(" - ").endsWith("Ready=False KafkaUnreachable");
    assertThat(lines.get(9)).contains(" lag 40 ").endsWith("Ready=True Consuming");
  }

  @Test
  void aConditionThatIsNotTrueHasItsMessageIndentedOnTheLineBelow() throws Exception {
    List<String> lines = StatusView.lines(JSON.readTree(STATUS), JSON.readTree(STATS));

    assertThat(lines)
        .containsSubsequence(
            lines.get(0),
            lines.get(1),
            lines.get(2),
            "    the process exited 2 times, last with code 1",
            "",
            lines.get(5),
            lines.get(6),
            lines.get(7),
            "    no answer from my-cluster-kafka-bootstrap.kafka:9092",
            lines.get(9),
            "refused bad.yaml: spec.port: must have a maximum value of 65535.0")
        .hasSize(11);
    assertThat(lines.get(0)).startsWith("FUNCTION ");
    assertThat(lines.get(5)).startsWith("TRIGGER ");
    assertThat(lines.get(7)).startsWith("default/orders ").contains(" - ");
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
  }

  @Test
  void noTriggerTableWithoutTriggersAndZerosForAFunctionTheActivatorHasNoFiguresFor()
      throws Exception {
    JsonNode status =
        JSON.readTree(
            """
            {"functions":[{"namespace":"default","name":"slow",
              "url":"http://localhost:8080/default/slow/","desired":0,"ready":0,
              "conditions":[{"status":"True","reason":"ScaledToZero"}]}],
             "triggers":[],"refused":[]}
            """);

    List<String> lines = StatusView.lines(status, JSON.readTree("{\"functions\":[]}"));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).split(" +"))
        .containsExactly(
            "default/slow",
            "http://localhost:8080/default/slow/",
            "0/0",
            "0",
            "0",
            "0.0",
            "0.0",
            "Ready=True",
            "ScaledToZero");
  }

  /** Each heading's column begins at the same index in the heading row and every row below. */
  private static void assertColumnsAligned(List<String> rows, String... headings) {
    String heading = rows.get(0);
    for (String name : headings) {
      int start = heading.indexOf(" " + name) + 1;
      assertThat(start).as(name).isPositive();
      for (String row : rows.subList(1, rows.size())) {
        assertThat(row.charAt(start - 1)).as("%s in %s", name, row).isEqualTo(' ');
        assertThat(row.charAt(start)).as("%s in %s", name, row).isNotEqualTo(' ');
      }
    }
  }
}
