package dev.kinetic.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP response. Immutable: each {@code with...} returns a new one. */
public final class Response {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private Response(int status, Map<String, List<String>> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599, got " + status);
    }
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public static Response status(int status) {
    return new Response(status, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), new byte[0]);
  }

  /** 200 with a UTF-8 text body. */
  public static Response ok(String text) {
    return status(200).withBody(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  /** 200 with {@code value} written as JSON. */
  public static Response json(Object value) {
    return json(200, value);
  }

  public static Response json(int status, Object value) {
    try {
      return status(status).withBody(Json.mapper().writeValueAsBytes(value), "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON", e);
    }
  }

  public Response withHeader(String name, String value) {
    Map<String, List<String>> copy = copyHeaders();
    List<String> values = copy.get(name);
    if (values == null) {
      values = new ArrayList<>();
      copy.put(name, values);
    }
    values.add(value);
    return new Response(status, copy, body);
  }

  public Response withBody(byte[] body, String contentType) {
    Map<String, List<String>> copy = copyHeaders();
    copy.put("Content-Type", List.of(contentType));
    return new Response(status, copy, body.clone());
  }

  public int statusCode() {
    return status;
  }

  public Map<String, List<String>> headers() {
    return Collections.unmodifiableMap(headers);
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  private Map<String, List<String>> copyHeaders() {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      copy.put(e.getKey(), new ArrayList<>(e.getValue()));
    }
    return copy;
  }
}
