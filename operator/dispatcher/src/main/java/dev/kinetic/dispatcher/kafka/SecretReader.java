package dev.kinetic.dispatcher.kafka;

import java.util.Map;
import java.util.Optional;

/** Reads a Secret of a Trigger's namespace: the cluster's, or local mode's secrets file. */
public interface SecretReader {
  /** Its keys and decoded values, or empty when there is no such Secret. */
  Optional<Map<String, String>> read(String namespace, String name);
}
