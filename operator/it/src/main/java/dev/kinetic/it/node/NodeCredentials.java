package dev.kinetic.it.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is who on the test node. Each component gets a bearer token of its own in the API server's
 * token file, with the user and groups the default RBAC roles expect (system:node:…,
 * system:kube-proxy, …); the API server reaches kubelet with a client certificate from a CA made
 * for this node; service-account tokens are signed with a key made for it. All of it lives only as
 * long as the node's folder. openssl does the key work, as Kubernetes' own local-up-cluster does.
 */
final class NodeCredentials {
  private final Map<String, String> tokens;

  private NodeCredentials(Map<String, String> tokens) {
    this.tokens = tokens;
  }

  static NodeCredentials create(NodeFolders dirs) {
    Path pki = dirs.pki();
    try {
      Files.createDirectories(pki);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String ssl = HostTools.OPENSSL;
    run(
        ssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "7",
        "-subj",
        "/CN=kinetic-node-ca",
        "-keyout",
        pki.resolve("ca.key"),
        "-out",
        pki.resolve("ca.crt"));
    run(
        ssl,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/O=system:masters/CN=kube-apiserver-kubelet-client",
        "-keyout",
        pki.resolve("kubelet-client.key"),
        "-out",
        pki.resolve("kubelet-client.csr"));
    run(
        ssl,
        "x509",
        "-req",
        "-days",
        "7",
        "-in",
        pki.resolve("kubelet-client.csr"),
        "-CA",
        pki.resolve("ca.crt"),
        "-CAkey",
        pki.resolve("ca.key"),
        "-CAcreateserial",
        "-out",
        pki.resolve("kubelet-client.crt"));
    run(ssl, "genrsa", "-out", pki.resolve("sa.key"), "2048");
    run(ssl, "rsa", "-in", pki.resolve("sa.key"), "-pubout", "-out", pki.resolve("sa.pub"));

    Map<String, String> tokens = new LinkedHashMap<>();
    StringBuilder file = new StringBuilder();
    for (Identity who : IDENTITIES) {
      String token = randomToken();
      tokens.put(who.component(), token);
      file.append(token).append(',').append(who.user()).append(',').append(who.user());
      file.append(",\"").append(String.join(",", who.groups())).append("\"\n");
    }
    try {
      Files.writeString(pki.resolve("tokens.csv"), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NodeCredentials(tokens);
  }

  private record Identity(String component, String user, List<String> groups) {}

  private static final List<Identity> IDENTITIES =
      List.of(
          new Identity("admin", "kinetic-node-admin", List.of("system:masters")),
          new Identity("kubelet", "system:node:" + NodeConfig.NODE_NAME, List.of("system:nodes")),
          new Identity("kube-proxy", "system:kube-proxy", List.of()),
          new Identity("scheduler", "system:kube-scheduler", List.of()),
          new Identity("controller-manager", "system:kube-controller-manager", List.of()));

  String token(String component) {
    return tokens.get(component);
  }

  static Path tokenFile(NodeFolders dirs) {
    return dirs.pki().resolve("tokens.csv");
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void run(Object... command) {
    HostState.run(Arrays.stream(command).map(Object::toString).toList());
  }
}
