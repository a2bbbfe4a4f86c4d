package dev.kinetic.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OwnedFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("identical", "{'a':1}", "{'a':1}", true),
        Arguments.of("server added a default", "{'a':1}", "{'a':1,'b':2}", true),
        Arguments.of(
            "replicas owned by someone else",
            "{'spec':{'x':1}}",
            "{'spec':{'x':1,'replicas':7}}",
            true),
        Arguments.of("our field drifted", "{'image':'a:1'}", "{'image':'a:2'}", false),
        Arguments.of("our field removed", "{'a':1,'b':2}", "{'a':1}", false),
        Arguments.of(
            "defaults inside list items",
            "{'c':[{'name':'f','image':'a'}]}",
            "{'c':[{'name':'f','image':'a','imagePullPolicy':'IfNotPresent'}]}",
            true),
        Arguments.of("list grew", "{'env':[{'n':'A'}]}", "{'env':[{'n':'A'},{'n':'B'}]}", false),
        Arguments.of(
            "list reordered",
            "{'env':[{'n':'A'},{'n':'B'}]}",
            "{'env':[{'n':'B'},{'n':'A'}]}",
            false),
        Arguments.of("empty list we set means nothing", "{'a':[]}", "{}", true),
        Arguments.of(
            "quantity in canonical form",
            "{'limits':{'cpu':'0.5'}}",
            "{'limits':{'cpu':'500m'}}",
            true),
        Arguments.of(
            "quantity really changed",
            "{'limits':{'memory':'1Gi'}}",
            "{'limits':{'memory':'2Gi'}}",
            false),
        Arguments.of("number read back as number", "{'port':8080}", "{'port':8080}", true),
        Arguments.of(
            "a node label no longer wanted",
            "{'spec':{'nodeSelector':{'pool':'fn'}}}",
            "{'spec':{'nodeSelector':{'pool':'fn','zone':'a'}}}",
            false),
        Arguments.of(
            "no node label wanted any more",
            "{'spec':{'image':'a'}}",
            "{'spec':{'image':'a','nodeSelector':{'pool':'fn'}}}",
            false),
        Arguments.of(
            "the same node labels",
            "{'spec':{'nodeSelector':{'pool':'fn'}}}",
            "{'spec':{'nodeSelector':{'pool':'fn'}}}",
            true),
        Arguments.of(
            "a toleration no longer wanted",
            "{'spec':{'image':'a'}}",
            "{'spec':{'image':'a','tolerations':[{'key':'k','operator':'Exists'}]}}",
            false),
        Arguments.of(
            "a toleration's field no longer wanted",
            "{'tolerations':[{'key':'k','operator':'Exists'}]}",
            "{'tolerations':[{'key':'k','operator':'Exists','effect':'NoSchedule'}]}",
            false),
        Arguments.of(
            "a priority no longer wanted",
            "{'spec':{'image':'a'}}",
            "{'spec':{'image':'a','priorityClassName':'functions'}}",
            false),
        Arguments.of(
            "a toleration's seconds read back",
            "{'tolerations':[{'key':'k','effect':'NoExecute','tolerationSeconds':60}]}",
            "{'tolerations':[{'key':'k','effect':'NoExecute','tolerationSeconds':60}]}",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void comparesOnlyTheFieldsWeSet(String name, String desired, String actual, boolean matches)
      throws Exception {
    assertThat(OwnedFields.matches(tree(desired), tree(actual))).isEqualTo(matches);
  }

  private static Object tree(String json) throws Exception {
    return JSON.readTree(json.replace('\'', '"'));
  }
}
