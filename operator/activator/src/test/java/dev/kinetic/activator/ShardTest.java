package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a pod's slots are split between activators when its hard limit is below their number. */
class ShardTest {
  @ParameterizedTest(name = "{0} pods from {1}")
  @CsvSource({
    "2, 10.85.0.41",
    "2, 10.85.0.254", // across the end of an octet
    "2, 10.85.0.9", // across a change of length
    "2, 10.85.0.99",
    "3, 10.85.0.98",
    "4, 10.85.0.97",
    "3, 10.85.0.7",
    "5, 192.168.3.250",
    "2, fd00:10:244::1f",
    "3, fd00:10:244::ffff", // across the end of a group
  })
  void podsGivenConsecutiveAddressesServeDifferentActivators(int count, String first) {
    List<Endpoint> pods = consecutive(first, count);
    for (int index = 0; index < count; index++) {
      Shard shard = new Shard(index, count);
      assertThat(pods.stream().mapToInt(p -> shard.slots(1, p)).sum())
          .as("activator %d of %d has one slot among %s", index, count, pods)
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "fn-1.local", "10.85.0", "10.85.0.300", "1.2.3.4.5", "fd00::12345"})
  void aHostThatIsNoAddressStillGetsExactlyItsHardLimitOverAllActivators(String host) {
    Endpoint pod = new Endpoint(host, 8080);
    for (int count = 1; count <= 4; count++) {
      for (int hard = 1; hard <= 5; hard++) {
        int sum = 0;
        for (int index = 0; index < count; index++) {
          sum += new Shard(index, count).slots(hard, pod);
        }
        assertThat(sum).as("%s: hard %d over %d activators", host, hard, count).isEqualTo(hard);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "10.85.0.1, 173342721",
    "0.0.0.0, 0",
    "255.255.255.255, 4294967295",
    "fd00::1, 1",
    "fd00::1:0, 65536",
    "fd00::, 0",
    "::ffff:10.0.0.2, 167772162"
  })
  void anAddressIsItsNumber(String host, long number) {
    assertThat(Shard.sequence(host)).isEqualTo(number);
  }

  private static List<Endpoint> consecutive(String first, int count) {
    List<Endpoint> pods = new ArrayList<>();
    long start = Shard.sequence(first);
    for (int i = 0; i < count; i++) {
      pods.add(new Endpoint(format(first, start + i), 8080));
    }
    return pods;
  }

  /** The address {@code number}, written the way {@code like} is (v4, or v6 in its prefix). */
  private static String format(String like, long number) {
    if (like.contains(":")) {
      String prefix = like.substring(0, like.indexOf("::") + 2);
      return prefix
          + Long.toHexString(number >>> 16 & 0xffff)
          + ":"
          + Long.toHexString(number & 0xffff);
    }
    return (number >>> 24 & 255)
        + "."
        + (number >>> 16 & 255)
        + "."
        + (number >>> 8 & 255)
        + "."
        + (number & 255);
  }
}
