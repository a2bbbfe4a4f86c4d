package dev.kinetic.local;

import java.util.List;
import java.util.Map;

/**
 * Local mode's admission of a Function manifest, for tests outside this package that compare it
 * with the API server's (the generated-manifest test in operator/it).
 */
public final class LocalAdmission {
  private LocalAdmission() {}

  /** The messages local mode refuses the manifest with at admission; empty when it admits it. */
  public static List<String> problems(Map<String, Object> manifest) {
    return Manifests.admissionProblems(manifest);
  }
}
