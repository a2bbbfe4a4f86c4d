package dev.kinetic.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
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
 * A component's ServiceAccount with the rules the Helm chart ships for it ({@code
 * helm/kinetic/files/}), and a kubeconfig that authenticates as it, so the component under test has
 * exactly its production permissions.
 */
public final class ServiceAccountIdentity {
  private ServiceAccountIdentity() {}

  /** {@code kinetic-operator}: cluster rules plus the Role in its own namespace. */
  public static String operator(KubernetesClient admin, String namespace) {
    return create(admin, namespace, "kinetic-operator", Repository.operatorRbac());
  }

  /** {@code kinetic-activator}: read-only cluster rules. */
  public static String activator(KubernetesClient admin, String namespace) {
    return create(admin, namespace, "kinetic-activator", Repository.activatorRbac());
  }

  /** {@code kinetic-dispatcher}: reads Triggers and Functions, writes Trigger status and Events. */
  public static String dispatcher(KubernetesClient admin, String namespace) {
    return create(admin, namespace, "kinetic-dispatcher", Repository.dispatcherRbac());
  }

  /** Creates the account, its roles and bindings; returns a kubeconfig for it. */
  private static String create(
      KubernetesClient admin, String namespace, String name, Path rbacFile) {
    ApiServer.createNamespace(admin, namespace);
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    boolean hasRole = false;
    for (HasMetadata role : rbac(admin, rbacFile)) {
      if (role.getKind().equals("Role")) {
        role.getMetadata().setNamespace(namespace);
        hasRole = true;
      }
      admin.resource(role).serverSideApply();
    }
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .withSubjects(account(name, namespace))
                .build())
        .serverSideApply();
    if (hasRole) {
      admin
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                  .withSubjects(account(name, namespace))
                  .build())
          .serverSideApply();
    }
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return kubeconfig(admin.getConfiguration(), name, token);
  }

  private static Subject account(String name, String namespace) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(namespace)
        .build();
  }

  private static List<HasMetadata> rbac(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return client.load(in).items();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
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

  private static String kubeconfig(Config admin, String name, String token) {
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
                    .withName(name)
                    .withNewUser()
                    .withToken(token)
                    .endUser()
                    .build())
            .withContexts(
                new NamedContextBuilder()
                    .withName("kinetic-it")
                    .withNewContext()
                    .withCluster("kinetic-it")
                    .withUser(name)
                    .endContext()
                    .build())
            .withCurrentContext("kinetic-it")
            .build();
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(config);
  }
}
