package dev.kinetic.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of the Service that selects a function's pods. The activators find the pods in its
 * EndpointSlices, and only in its: the Service of the function's own name is an alias of the
 * activators' Service, and one that selected the pods before (an operator before that alias
 * existed) leaves slices behind that nothing updates any more.
 */
public final class PodsService {
  /** The label the EndpointSlice controller puts on each slice: the Service it belongs to. */
  public static final String SLICE_SERVICE_LABEL = "kubernetes.io/service-name";

  static final String SUFFIX = "-pods";

  /** A Service name is a DNS-1035 label. */
  private static final int MAX_NAME = 63;

  private static final int HASH_CHARS = 8;

  private PodsService() {}

  /**
   * {@code <function>-pods}; for a name too long to take the suffix, its start, a hash of the whole
   * name (so two long names that share a start still differ) and the suffix: 63 characters.
   */
  public static String name(String function) {
    if (function.length() + SUFFIX.length() <= MAX_NAME) {
      return function + SUFFIX;
    }
    String hash = sha256Hex(function).substring(0, HASH_CHARS);
    int keep = MAX_NAME - SUFFIX.length() - HASH_CHARS - 1;
    return function.substring(0, keep) + "-" + hash + SUFFIX;
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
