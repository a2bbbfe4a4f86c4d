package dev.kinetic.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * The operator's ServiceAccount with the rules the Helm chart ships, and a kubeconfig that
 * authenticates as it, so the operator under test has exactly its production permissions.
 */
public final class OperatorIdentity {
  public static final String NAME = "kinetic-operator";

  private OperatorIdentity() {}

  /** Creates the account, its roles and bindings; returns a kubeconfig for it. */
  public static String create(KubernetesClient admin, String namespace) {
    ApiServer.createNamespace(admin, namespace);
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    for (HasMetadata role : rbac(admin)) {
      if (role.getKind().equals("Role")) {
        role.getMetadata().setNamespace(namespace);
      }
      admin.resource(role).serverSideApply();
    }
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", NAME)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(NAME)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(NAME)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .serverSideApply();
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(NAME)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return kubeconfig(admin.getConfiguration(), token);
  }

  public static List<HasMetadata> rbac(KubernetesClient client) {
    try (InputStream in = Files.newInputStream(Repository.operatorRbac())) {
      return client.load(in).items();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + Repository.operatorRbac(), e);
    }
  }

  /** The API server's CA as base64, whether the admin config carries it inline or as a file. */
  private static String caData(Config admin) {
    if (admin.getCaCertData() != null) {
      return admin.getCaCertData();
    }
    if (admin.getCaCertFile() == null) {
      throw new IllegalStateException("the admin kubeconfig names no CA certificate");
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + admin.getCaCertFile(), e);
    }
  }

  private static String kubeconfig(Config admin, String token) {
    io.fabric8.kubernetes.api.model.Config config =
        new io.fabric8.kubernetes.api.model.ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .withClusters(
                new NamedClusterBuilder()
                    .withName("kinetic-it")
                    .withNewCluster()
                    .withServer(admin.getMasterUrl())
                    .withCertificateAuthorityData(caData(admin))
                    .endCluster()
                    .build())
            .withUsers(
                new NamedAuthInfoBuilder()
                    .withName(NAME)
                    .withNewUser()
                    .withToken(token)
                    .endUser()
                    .build())
            .withContexts(
                new NamedContextBuilder()
                    .withName("kinetic-it")
                    .withNewContext()
                    .withCluster("kinetic-it")
                    .withUser(NAME)
                    .endContext()
                    .build())
            .withCurrentContext("kinetic-it")
            .build();
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(config);
  }
}
