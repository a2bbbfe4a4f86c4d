package dev.kinetic.dispatcher;

/**
 * What became of a Trigger's events, as its status counts them. They only grow: a new version of
 * the Trigger, or a new leader, goes on from the last ones.
 *
 * @param deadLettered records written to the dead-letter topic, or schedule events taken by the
 *     dead-letter Function (also counted in {@code failed})
 */
public record TriggerCounts(
    long fired, long delivered, long failed, long skipped, long deadLettered) {
  public static final TriggerCounts NONE = new TriggerCounts(0, 0, 0, 0, 0);
  static final TriggerCounts ONE_FIRED = new TriggerCounts(1, 0, 0, 0, 0);
  static final TriggerCounts ONE_SKIPPED = new TriggerCounts(0, 0, 0, 1, 0);

  /**
   * Events that ended: the function took them, or they failed and some of those were dead-lettered.
   */
  static TriggerCounts finished(long delivered, long failed, long deadLettered) {
    return new TriggerCounts(0, delivered, failed, 0, deadLettered);
  }

  TriggerCounts plus(TriggerCounts more) {
    return new TriggerCounts(
        fired + more.fired,
        delivered + more.delivered,
        failed + more.failed,
        skipped + more.skipped,
        deadLettered + more.deadLettered);
  }
}
