package dev.kinetic.function;

/**
 * Thrown by a function (or by {@link Request#bodyAs}) when the request itself is wrong. The host
 * answers 400 with the message in a JSON body, so the message must be meant for the caller.
 */
public class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message);
  }

  public BadRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
