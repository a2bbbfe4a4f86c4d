package dev.kinetic.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request, read completely (the host bounds its size). Header names are case-insensitive.
 */
public final class Request {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private Request(Builder b) {
    this.method = b.method;
    this.path = b.path;
    this.query = Collections.unmodifiableMap(parseQuery(b.rawQuery));
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    addAll(h, b.headers);
    this.headers = Collections.unmodifiableMap(h);
    this.body = b.body;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String method() {
    return method;
  }

  /** The path, without the query string. */
  public String path() {
    return path;
  }

  /** Decoded query parameters, in order of appearance. */
  public Map<String, List<String>> query() {
    return query;
  }

  public Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public Map<String, List<String>> headers() {
    return headers;
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body as JSON bound to {@code type}. A body that is not valid JSON for the type is the
   * caller's mistake: it raises {@link BadRequestException}, which the host answers with 400.
   */
  public <T> T bodyAs(Class<T> type) {
    if (body.length == 0) {
      throw new BadRequestException("the request has no body; expected JSON");
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the body is not valid JSON here: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequestException("the body cannot be read as JSON", e);
    }
  }

  // Plain loops rather than lambdas here and in Response: each lambda call site spins a class the
  // first time it runs, and these run on every cold start's first request.
  private static void add(Map<String, List<String>> map, String name, String value) {
    List<String> values = map.get(name);
    if (values == null) {
      values = new ArrayList<>();
      map.put(name, values);
    }
    values.add(value);
  }

  private static void addAll(Map<String, List<String>> map, Map<String, List<String>> from) {
    for (Map.Entry<String, List<String>> e : from.entrySet()) {
      for (String value : e.getValue()) {
        add(map, e.getKey(), value);
      }
    }
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> result = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      add(result, name, value);
    }
    return result;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("malformed query string near '" + s + "'");
    }
  }

  /** Builds requests; the host uses it, and so can a function's unit tests. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private String rawQuery;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];

    private Builder() {}

    public Builder method(String method) {
      this.method = method.toUpperCase(Locale.ROOT);
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** The raw (still encoded) query string, without the leading '?'. */
    public Builder rawQuery(String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    public Builder header(String name, String value) {
      add(headers, name, value);
      return this;
    }

    public Builder headers(Map<String, List<String>> all) {
      addAll(headers, all);
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body.clone();
      return this;
    }

    public Builder body(String body) {
      this.body = body.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    public Request build() {
      return new Request(this);
    }
  }
}
