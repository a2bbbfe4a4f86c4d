package dev.kinetic.activator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a request is in its life in the activator. Each state names the transitions it allows, and
 * {@link Exchange} refuses any other, so a path through the code that would, say, relay an answer
 * for a request still in the queue fails loudly instead of corrupting a connection.
 *
 * <pre>
 *   ADMITTING ──► QUEUED ──► CONNECTING ──► FORWARDED ──► ANSWERING ──► ENDED
 *       │  └────────────────►    │  ▲    ▲       │                        ▲
 *       │                        └──┘    └───────┤ (a kept connection     │
 *       │                     (the pod refused:  │  closed before any     │
 *       │                      once more)        │  answer: once more)    │
 *       │                                        └────────────────────────┤
 *       └─────────── any state but ENDED can end (answered, failed, gone) ┘
 * </pre>
 */
enum ExchangeState {
  /** Before the gate: a slot now, a place in the queue, or a refusal. */
  ADMITTING,
  /** In the function's queue, waiting for a slot (a pod starting, or every pod full). */
  QUEUED,
  /** Holding a slot, connecting to its pod. */
  CONNECTING,
  /** The request went to the pod; its answer has not begun. */
  FORWARDED,
  /** The pod's answer head went to the client: an error can only cut the connection now. */
  ANSWERING,
  /** Answered, failed or abandoned: the slot is free and nothing more happens. */
  ENDED;

  private Set<ExchangeState> next;

  static {
    ADMITTING.next = EnumSet.of(QUEUED, CONNECTING, ENDED);
    QUEUED.next = EnumSet.of(CONNECTING, ENDED);
    // Back to the gate when the pod refused the connection before any byte reached it.
    CONNECTING.next = EnumSet.of(ADMITTING, FORWARDED, ENDED);
    // Once more on a new connection when a kept one closed before any answer (RFC 9110 §9.2.2).
    FORWARDED.next = EnumSet.of(ANSWERING, CONNECTING, ENDED);
    ANSWERING.next = EnumSet.of(ENDED);
    ENDED.next = EnumSet.noneOf(ExchangeState.class);
  }

  boolean mayBecome(ExchangeState state) {
    return next.contains(state);
  }
}
