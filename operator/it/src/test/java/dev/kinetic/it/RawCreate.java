package dev.kinetic.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * A Function or Trigger posted as text, the way kubectl sends a manifest, with the API server's
 * answer as it is: the typed client would refuse some manifests itself before the API server saw
 * them.
 */
final class RawCreate {
  private RawCreate() {}

  /**
   * @param query e.g. {@code fieldValidation=Strict}, or with {@code &dryRun=All}
   */
  static HttpResponse<String> function(
      KubernetesClient admin, String namespace, String query, String contentType, String body)
      throws Exception {
    return create(admin, namespace, "functions", query, contentType, body);
  }

  /**
   * @param plural the resource, e.g. {@code triggers}
   */
  static HttpResponse<String> create(
      KubernetesClient admin,
      String namespace,
      String plural,
      String query,
      String contentType,
      String body)
      throws Exception {
    String url =
        admin.getConfiguration().getMasterUrl().replaceAll("/$", "")
            + "/apis/kinetic.dev/v1alpha1/namespaces/"
            + namespace
            + "/"
            + plural
            + "?"
            + query;
    HttpRequest request =
        admin.getHttpClient().newHttpRequestBuilder().uri(url).post(contentType, body).build();
    return admin.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
  }
}
