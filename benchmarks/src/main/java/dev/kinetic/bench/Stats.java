package dev.kinetic.bench;

import java.util.List;

/** Min, median and p90 of a sample, by the nearest-rank method (no interpolation). */
record Stats(double min, double median, double p90, int n) {
  static Stats of(List<Double> sample) {
    if (sample.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Double> sorted = sample.stream().sorted().toList();
    return new Stats(sorted.get(0), rank(sorted, 0.5), rank(sorted, 0.9), sorted.size());
  }

  private static double rank(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
