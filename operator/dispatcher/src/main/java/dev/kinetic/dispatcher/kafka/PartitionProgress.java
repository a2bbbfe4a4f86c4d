package dev.kinetic.dispatcher.kafka;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What is done in one partition, for at-least-once commits: records are taken in offset order and
 * may finish in any order (unordered delivery, retries), but the committed offset only ever moves
 * to just past the longest run of finished records from the start. A record still running or
 * retrying holds the commit back, so a crash redelivers it and every record after it taken since
 * the last commit: {@link #ahead()} counts exactly those, and bounding it bounds duplicates.
 */
final class PartitionProgress {
  // Offsets taken and not finished: the smallest of them holds the commit back.
  private final TreeSet<Long> open = new TreeSet<>();
  // Finished offsets not committed yet: delivered, but a crash would deliver them again.
  private final TreeSet<Long> finishedAhead = new TreeSet<>();
  // The offset after the last one taken; the commit point when nothing is open.
  private long next = -1;
  private long committed = -1;

  /** A record of this offset was taken for delivery. Offsets come in increasing order. */
  void taken(long offset) {
    if (offset < next) {
      throw new IllegalArgumentException("offset " + offset + " taken after " + (next - 1));
    }
    open.add(offset);
    next = offset + 1;
  }

  /** The record is delivered, or written to the dead-letter topic: it need not come again. */
  void finished(long offset) {
    if (open.remove(offset)) {
      finishedAhead.add(offset);
    }
  }

  /** Taken and not finished. */
  int open() {
    return open.size();
  }

  /**
   * Records past the last commit: the open ones and the finished ones not committed yet. A consumer
   * that crashed now would see all of them again, so bounding this bounds duplicates.
   */
  int ahead() {
    return open.size() + finishedAhead.size();
  }

  /**
   * The offset to commit now (Kafka's convention: the next one to read), if it moved since the last
   * {@link #committed(long)}.
   */
  OptionalLong toCommit() {
    if (next < 0) {
      return OptionalLong.empty();
    }
    long point = open.isEmpty() ? next : open.first();
    return point > committed ? OptionalLong.of(point) : OptionalLong.empty();
  }

  /** {@code offset} was committed. */
  void committed(long offset) {
    committed = Math.max(committed, offset);
    finishedAhead.headSet(committed).clear();
  }
}
