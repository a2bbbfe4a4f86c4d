package dev.kinetic.autoscaler;

/** How many pods a function should have, and why, in words a person can check. */
public record Decision(int replicas, boolean panic, String reason) {}
