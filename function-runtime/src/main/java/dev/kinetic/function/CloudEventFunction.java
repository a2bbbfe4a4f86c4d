package dev.kinetic.function;

import io.cloudevents.CloudEvent;

/**
 * A function that receives CloudEvents over HTTP (binary or structured mode). Returning an event
 * sends it back as the reply, in binary mode; returning {@code null} answers 204.
 */
@FunctionalInterface
public interface CloudEventFunction {
  CloudEvent handle(CloudEvent event, Context context) throws Exception;
}
