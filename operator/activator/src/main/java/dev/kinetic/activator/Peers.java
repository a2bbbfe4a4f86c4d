package dev.kinetic.activator;

/**
 * Where this activator learns its {@link Shard}: how many activators there are, and which it is.
 */
interface Peers {
  Peers ALONE =
      new Peers() {
        @Override
        public Shard current() {
          return Shard.ALONE;
        }

        @Override
        public void subscribe(Runnable changed) {}
      };

  Shard current();

  /** {@code changed} runs after every change of {@link #current}. */
  void subscribe(Runnable changed);
}
