package dev.kinetic.function;

/**
 * One JSON line per call on standard output, with the request id and trace id added. Never log a
 * secret: the host cannot tell one from other text.
 */
public interface FunctionLogger {
  void info(String message);

  void warn(String message);

  void error(String message, Throwable error);
}
