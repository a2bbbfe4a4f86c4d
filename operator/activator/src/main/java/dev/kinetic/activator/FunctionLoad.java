package dev.kinetic.activator;

/**
 * One function's load at this activator over the last second.
 *
 * @param averageConcurrency requests in flight plus queued, averaged over the second's samples
 * @param requestsPerSecond requests that arrived for the function, per second
 */
public record FunctionLoad(double averageConcurrency, double requestsPerSecond) {}
