package dev.kinetic.api;

/**
 * One field of a Function that is above a platform limit.
 *
 * @param field the spec path, e.g. {@code spec.concurrency.hard}
 * @param value what the Function asks for, as written
 * @param limit the admin's limit, as written
 */
public record LimitViolation(String field, String value, String limit) {
  public String message() {
    return field + " is " + value + ", above the platform limit of " + limit;
  }
}
