package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  @Test
  void nothingTakenNothingToCommit() {
    assertThat(new PartitionProgress().toCommit()).isEmpty();
  }

  @Test
  void theCommitStopsAtTheFirstRecordNotFinished() {
    PartitionProgress p = new PartitionProgress();
    for (long offset = 10; offset < 15; offset++) {
      p.taken(offset);
    }
    p.finished(10);
    p.finished(12);
    p.finished(13);
    assertThat(p.toCommit()).hasValue(11);
    assertThat(p.open()).isEqualTo(2);

    p.finished(11);
    assertThat(p.toCommit()).hasValue(14);
    p.finished(14);
    assertThat(p.toCommit()).hasValue(15);
  }

  @Test
  void everyRecordTakenSinceTheLastCommitCountsAsAheadUntilCommitted() {
    PartitionProgress p = new PartitionProgress();
    for (long offset = 0; offset < 4; offset++) {
      p.taken(offset);
    }
    p.finished(1);
    p.finished(2);
    assertThat(p.ahead()).as("0 and 3 open, 1 and 2 would come again").isEqualTo(4);
    p.finished(0);
    assertThat(p.ahead()).as("finished, but a crash before the commit repeats them").isEqualTo(4);
    p.committed(p.toCommit().orElseThrow());
    assertThat(p.ahead()).as("only 3 is past the commit point").isEqualTo(1);
    p.finished(3);
    p.committed(p.toCommit().orElseThrow());
    assertThat(p.ahead()).isZero();
  }

  @Test
  void aCommittedPointIsNotOfferedAgain() {
    PartitionProgress p = new PartitionProgress();
    p.taken(0);
    p.finished(0);
    assertThat(p.toCommit()).hasValue(1);
    p.committed(1);
    assertThat(p.toCommit()).isEmpty();
    p.taken(1);
    assertThat(p.toCommit()).as("1 is open: the point is still 1").isEmpty();
  }

  @Test
  void gapsInOffsetsAreFine() {
    // Compacted topics and transaction markers leave gaps.
    PartitionProgress p = new PartitionProgress();
    p.taken(3);
    p.taken(7);
    p.finished(7);
    assertThat(p.toCommit()).hasValue(3);
    p.finished(3);
    assertThat(p.toCommit()).hasValue(8);
  }

  @Test
  void anOffsetTakenOutOfOrderIsABug() {
    PartitionProgress p = new PartitionProgress();
    p.taken(5);
    assertThatThrownBy(() -> p.taken(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
