package dev.kinetic.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images the package phase wrote to target/images: named as the chart names them, non-root,
 * reproducible, and — where this machine allows a chroot — actually running from their own root
 * filesystem. (Every image runs in pods on a real node in operator/it's RealNodeIT.)
 */
class ImagesIT {
  private static final Path ROOT = Path.of(System.getProperty("kinetic.root", "../.."));
  private static final Path IMAGES = Path.of("target/images");
  private static final String REGISTRY = System.getProperty("kinetic.image.registry");
  private static final String TAG = System.getProperty("kinetic.image.tag");

  private static final String NO_CHROOT =
      "running an image without a container engine needs root, chroot and a private mount"
          + " namespace (unshare); this machine refuses one of them, so only the images' contents"
          + " are checked here";

  @TempDir Path temp;

  @Test
  void theImagesAreTheOnesTheChartNames() throws Exception {
    String values = Files.readString(ROOT.resolve("helm/kinetic/values.yaml"));
    assertThat(values).contains("registry: " + REGISTRY).contains("tag: \"" + TAG + "\"");
    for (String name : List.of("kinetic-operator", "kinetic-activator", "kinetic-dispatcher")) {
      ImageRoot image = ImageRoot.unpack(IMAGES.resolve(name + ".tar"), dir(name));
      assertThat(image.reference()).isEqualTo(REGISTRY + "/" + name + ":" + TAG);
      assertThat(
              Files.readString(
                  ROOT.resolve("helm/kinetic/templates/" + name.substring(8) + ".yaml")))
          .contains("/" + name + ":{{ .Values.image.tag }}");
    }
  }

  @Test
  void everyExampleHasTheImageItsManifestNames() throws Exception {
    List<Path> manifests;
    try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
      manifests =
          files.map(dir -> dir.resolve("function.yaml")).filter(Files::isRegularFile).toList();
    }
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(5);
    for (Path manifest : manifests) {
      String name = manifest.getParent().getFileName().toString();
      ImageRoot image =
          ImageRoot.unpack(IMAGES.resolve("examples-" + name + ".tar"), dir("example-" + name));

      assertThat(Files.readString(manifest))
          .as(manifest.toString())
          .contains("image: " + image.reference());
    }
  }

  @Test
  void eachImageRunsItsJavaAsNonRootWithNoShellInside() throws Exception {
    for (String name :
        List.of("kinetic-operator", "kinetic-activator", "kinetic-dispatcher", "examples-hello")) {
      ImageRoot image = ImageRoot.unpack(IMAGES.resolve(name + ".tar"), dir(name));

      assertThat(image.user()).isEqualTo("65532:65532");
      assertThat(image.entrypoint()).first().isEqualTo("/opt/java/bin/java");
      assertThat(image.root().resolve("opt/java/bin/java")).isExecutable();
      assertThat(image.root().resolve("bin/sh")).doesNotExist();
      assertThat(image.root().resolve("opt/java/lib/server/classes.jsa"))
          .as("the JDK's class-data archive, for a faster start")
          .isRegularFile();
      assertThat(Files.readString(image.root().resolve("etc/passwd"))).contains("nonroot:x:65532:");
      try (Stream<Path> files = Files.walk(image.root())) {
        assertThat(files.filter(Files::isSymbolicLink)).as("no symlinks").isEmpty();
      }
    }
  }

  @Test
  void theActivatorRunsWithTheFlagsItWasMeasuredWith() throws Exception {
    ImageRoot image =
        ImageRoot.unpack(IMAGES.resolve("kinetic-activator.tar"), dir("activator-flags"));

    List<String> flags = BuildImages.listed(ROOT.resolve("operator/activator/jvm-flags"));

    assertThat(flags).contains("-Xmx64m", "-XX:+UseSerialGC");
    assertThat(image.entrypoint()).containsSequence(flags).endsWith("-jar", "/app/activator.jar");
  }

  @Test
  void theSameInputsGiveTheSameDigests() throws Exception {
    Path again = temp.resolve("again");

    BuildImages.main(new String[] {ROOT.toString(), again.toString(), REGISTRY, TAG});

    for (String name :
        List.of("kinetic-operator", "kinetic-activator", "kinetic-dispatcher", "examples-hello")) {
      assertThat(Files.readString(again.resolve(name + ".digest")))
          .as(name)
          .isEqualTo(Files.readString(IMAGES.resolve(name + ".digest")));
    }
  }

  @Test
  void theActivatorImageServesFromItsOwnRootFilesystem() throws Exception {
    Assumptions.assumeTrue(ImageRoot.canChroot(), NO_CHROOT);
    ImageRoot image = ImageRoot.unpack(IMAGES.resolve("kinetic-activator.tar"), dir("run"));
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          byte[] body = "hello from the backend".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    backend.start();
    int port = freePort();
    int admin = freePort();
    Process activator =
        image.start(
            Map.of(
                "KINETIC_ACTIVATOR_PORT", Integer.toString(port),
                "KINETIC_ACTIVATOR_ADMIN_PORT", Integer.toString(admin),
                "KINETIC_ACTIVATOR_ROUTES",
                    "shop/cart=127.0.0.1:" + backend.getAddress().getPort() + ";timeout=10"),
            temp.resolve("activator.log"));
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitHealthy(http, admin);

      HttpResponse<String> answer = get(http, "http://127.0.0.1:" + port + "/shop/cart/items");

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("hello from the backend");
      String log = Files.readString(temp.resolve("activator.log"));
      assertThat(log).contains("activator listening");
      // The jlink'ed runtime and the image's C libraries are enough for a native transport
      // (no silent fall-back to Java NIO); which one depends on this kernel.
      assertThat(log).containsAnyOf("network transport: io_uring", "network transport: epoll");
      // The image's flags let Netty reach its buffers through sun.misc.Unsafe, which Java 25
      // takes from it by default: the figures of docs/benchmarks.md were measured that way.
      assertThat(log).contains("buffers through sun.misc.Unsafe");
    } finally {
      assertThat(ImageRoot.stop(activator, Duration.ofSeconds(30)))
          .as("the activator stops on SIGTERM")
          .isTrue();
      backend.stop(0);
    }
  }

  @Test
  void theJavaExampleImagesStartFromAClassDataArchiveTheirJvmAccepts() throws Exception {
    Assumptions.assumeTrue(ImageRoot.canChroot(), NO_CHROOT);
    // What the build linked the images' runtime from (kinetic.image.jdk), not this test's JDK.
    boolean aot = ImageJdk.chosen().version().feature() >= 25;
    String file = aot ? "app.aot" : "app.jsa";
    String flag = (aot ? "-XX:AOTCache=/app/" : "-XX:SharedArchiveFile=/app/") + file;
    for (String name : List.of("hello", "json-echo")) {
      ImageRoot image =
          ImageRoot.unpack(IMAGES.resolve("examples-" + name + ".tar"), dir("archive-" + name));
      assertThat(image.root().resolve("app").resolve(file)).as(name).isRegularFile();
      assertThat(image.entrypoint()).as(name).contains(flag);
      int port = freePort();
      // Strict: where the archive does not fit the image's JDK and jars, the JVM stops.
      Process function =
          image.start(
              Map.of(
                  "PORT", Integer.toString(port),
                  "KINETIC_METRICS_PORT", Integer.toString(freePort()),
                  "JAVA_TOOL_OPTIONS", aot ? "-XX:AOTMode=on" : "-Xshare:on"),
              temp.resolve(name + "-strict.log"));
      try {
        awaitHealthy(HttpClient.newHttpClient(), port);
      } finally {
        ImageRoot.stop(function, Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void theHelloExampleImageAnswersAsItsFunctionYamlPromises() throws Exception {
    String manifest = Files.readString(ROOT.resolve("examples/hello/function.yaml"));
    String reference = REGISTRY + "/examples/hello:" + TAG;
    assertThat(manifest).as("the image function.yaml names").contains("image: " + reference);
    Assumptions.assumeTrue(ImageRoot.canChroot(), NO_CHROOT);
    ImageRoot image = ImageRoot.unpack(IMAGES.resolve("examples-hello.tar"), dir("hello"));
    assertThat(image.reference()).isEqualTo(reference);
    int port = freePort();
    int metrics = freePort();
    Process hello =
        image.start(
            Map.of(
                "PORT", Integer.toString(port),
                "KINETIC_METRICS_PORT", Integer.toString(metrics),
                "GREETING", "Hello"),
            temp.resolve("hello.log"));
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitHealthy(http, port);

      HttpResponse<String> answer = get(http, "http://127.0.0.1:" + port + "/?name=image");

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("Hello, image!\n");
      // The runtime opens its metrics port once the first response is out (docs/runtime.md).
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> get(http, "http://127.0.0.1:" + metrics + "/metrics").body(),
              body -> body.contains("kinetic_requests_total"));
    } finally {
      assertThat(ImageRoot.stop(hello, Duration.ofSeconds(30)))
          .as("the function stops on SIGTERM")
          .isTrue();
    }
  }

  private static void awaitHealthy(HttpClient http, int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get(http, "http://127.0.0.1:" + port + "/healthz").statusCode() == 200);
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(temp.resolve(name));
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
