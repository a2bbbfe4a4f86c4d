package dev.kinetic.local;

/**
 * A local function's Ready condition, as a cluster Function reports it: a status, a reason a script
 * can match, and a message a person can act on.
 */
record LocalCondition(String status, String reason, String message) {

  /**
   * Pure: from what the process supervisor counts.
   *
   * @param crashes every crash of the function's processes so far
   * @param crashesSinceReady crashes since a process was last ready: a crash loop
   */
  static LocalCondition ready(
      int desired, int ready, int crashes, int crashesSinceReady, Integer lastExitCode) {
    if (desired == 0) {
      return new LocalCondition(
          "True", "ScaledToZero", "no process runs; the next request starts one");
    }
    if (ready > 0) {
      return new LocalCondition(
          "True",
          "Running",
          ready
              + " of "
              + desired
              + " processes ready"
              + (crashes > 0 ? "; " + crashes + " crashed and were restarted" : ""));
    }
    if (crashesSinceReady > 0) {
      return new LocalCondition(
          "False",
          "CrashLoop",
          "the process exited "
              + crashesSinceReady
              + (crashesSinceReady == 1 ? " time" : " times")
              + (lastExitCode == null ? "" : ", last with code " + lastExitCode)
              + "; restarting with back-off (see its log lines)");
    }
    return new LocalCondition(
        "Unknown",
        "Starting",
        "waiting for " + desired + " processes to pass their readiness check");
  }
}
