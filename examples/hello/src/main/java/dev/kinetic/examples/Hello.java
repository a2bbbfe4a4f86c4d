package dev.kinetic.examples;

import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;

/** Greets whoever {@code ?name=} names, with the greeting from the GREETING variable. */
public final class Hello implements HttpFunction {
  private final String greeting;

  public Hello() {
    this(System.getenv().getOrDefault("GREETING", "Hello"));
  }

  Hello(String greeting) {
    this.greeting = greeting;
  }

  @Override
  public Response handle(Request request, Context context) {
    String name = request.queryParam("name").orElse("");
    if (name.isBlank()) {
      name = "world";
    }
    return Response.ok(greeting + ", " + name + "!\n");
  }
}
