package dev.kinetic.it.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** kube-dns for the node: CoreDNS from its own image, at the address kubelet gives every pod. */
final class ClusterDns {
  private ClusterDns() {}

  static void install(KubernetesClient admin, NodeNetwork net) {
    String manifest;
    try (InputStream in = ClusterDns.class.getResourceAsStream("coredns.yaml")) {
      manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    manifest =
        manifest
            .replace("COREDNS_IMAGE", ClusterImages.COREDNS_IMAGE)
            .replace("DNS_IP", net.dnsIp());
    for (HasMetadata item :
        admin.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(item).serverSideApply();
    }
  }

  static void awaitReady(KubernetesClient admin, long seconds) {
    admin
        .apps()
        .deployments()
        .inNamespace("kube-system")
        .withName("coredns")
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1,
            seconds,
            TimeUnit.SECONDS);
  }
}
