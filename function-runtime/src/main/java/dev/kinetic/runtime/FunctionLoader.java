package dev.kinetic.runtime;

import dev.kinetic.function.AsyncHttpFunction;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.HttpFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the one function of this process: the class named by {@code KINETIC_FUNCTION_CLASS}, or
 * else the single provider registered under META-INF/services for one of the SDK's interfaces. No
 * classpath scanning: it would cost start time and surprise nobody in a good way.
 */
public final class FunctionLoader {
  private FunctionLoader() {}

  public static Object load(Optional<String> className, ClassLoader loader) {
    if (className.isPresent()) {
      return instantiate(className.get(), loader);
    }
    List<Object> found = new ArrayList<>();
    for (Class<?> kind :
        List.of(HttpFunction.class, AsyncHttpFunction.class, CloudEventFunction.class)) {
      for (Object function : ServiceLoader.load(kind, loader)) {
        found.add(function);
      }
    }
    if (found.size() != 1) {
      throw new IllegalStateException(
          "expected exactly one function, found "
              + found.stream().map(f -> f.getClass().getName()).toList()
              + ": set KINETIC_FUNCTION_CLASS or register one class in META-INF/services/"
              + "dev.kinetic.function.HttpFunction (or AsyncHttpFunction, CloudEventFunction)");
    }
    return found.get(0);
  }

  private static Object instantiate(String className, ClassLoader loader) {
    try {
      return Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "KINETIC_FUNCTION_CLASS names " + className + ", not found", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot create " + className + " with its public no-argument constructor", e);
    }
  }
}
