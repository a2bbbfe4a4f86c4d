package dev.kinetic.it.node;

/**
 * The node's private registry: every pull needs these credentials, as a company's registry's do, so
 * a pod gets an image from it only with an image pull secret that holds them. Nothing is in it
 * until {@link RealCluster#pushToRegistry} puts an image there.
 *
 * @param address host:port, the prefix of its images' references
 */
public record NodeRegistry(String address, String username, String password) {
  /** The reference of {@code repository} (e.g. {@code team/hello:1}) in this registry. */
  public String image(String repository) {
    return address + "/" + repository;
  }

  @Override
  public String toString() {
    // No password in a log or a test report.
    return "NodeRegistry[" + address + ", user " + username + "]";
  }
}
