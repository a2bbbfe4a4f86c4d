package dev.kinetic.operator.autoscale;

import java.net.URI;
import java.util.List;

/** Where each activator replica serves its {@code /stats}. */
@FunctionalInterface
public interface ActivatorEndpoints {
  List<URI> statsUrls();
}
