package dev.kinetic.function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one ObjectMapper of a function process. Created on first use, not at start: functions that
 * never touch JSON bodies do not pay for Jackson's databind start-up.
 */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  private static final class Holder {
    // Unknown fields are an error: a typo in a request field should not pass silently.
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
