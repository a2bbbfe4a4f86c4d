package dev.kinetic.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentiles() {
    List<Double> sample = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
    Stats s = Stats.of(sample);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.median()).isEqualTo(5.0);
    assertThat(s.p90()).isEqualTo(9.0);
    assertThat(s.n()).isEqualTo(10);
  }

  @Test
  void oneMeasurementIsEveryPercentile() {
    Stats s = Stats.of(List.of(42.0));
    assertThat(s.median()).isEqualTo(42.0);
    assertThat(s.p90()).isEqualTo(42.0);
  }

  @Test
  void anEmptySampleIsAnError() {
    assertThatThrownBy(() -> Stats.of(List.of())).hasMessage("no measurements");
  }

  @Test
  void replacesOnlyTheMarkedSection() {
    String doc = "# B\nbefore\n<!-- x:begin -->\nold\n<!-- x:end -->\nafter\n";
    assertThat(MarkdownSection.replace(doc, "x", "new table\n"))
        .isEqualTo("# B\nbefore\n<!-- x:begin -->\nnew table\n<!-- x:end -->\nafter\n");
    assertThatThrownBy(() -> MarkdownSection.replace("no markers", "x", "t"))
        .hasMessageContaining("not found");
  }
}
