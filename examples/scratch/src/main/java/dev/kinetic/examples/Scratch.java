package dev.kinetic.examples;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps files in /tmp between requests, as a function keeps a model or a download it would rather
 * not fetch on every request. {@code ?mib=N} writes an N MiB file (replacing the one of that size);
 * every answer says what the pod keeps. A pod's /tmp holds as much as its Function's {@code
 * resources.limits.ephemeral-storage}.
 */
public final class Scratch implements HttpFunction {
  static final int MAX_MIB = 10_240;
  private static final int MIB = 1 << 20;
  private static final String SUFFIX = ".mib";

  /** What one answer says: the bytes this request wrote, and what the pod keeps in all. */
  record Kept(long wroteBytes, long keptBytes, List<String> files) {}

  private final Path dir;

  /**
   * In {@code $SCRATCH_DIR} when set (a volume of its own, examples/scratch/cache.yaml), else /tmp.
   */
  public Scratch() {
    this(
        System.getenv("SCRATCH_DIR") != null
            ? Path.of(System.getenv("SCRATCH_DIR"))
            : Path.of(System.getProperty("java.io.tmpdir"), "scratch"));
  }

  Scratch(Path dir) {
    this.dir = dir;
  }

  @Override
  public Response handle(Request request, Context context) throws IOException {
    long wrote = 0;
    if (request.queryParam("mib").isPresent()) {
      int mib = parse(request.queryParam("mib").get());
      wrote = write(mib);
      context.logger().info("wrote " + mib + " MiB to " + dir);
    }
    return Response.json(kept(wrote));
  }

  /**
   * Writes beside the target and then renames it, so two requests writing the same size, or one cut
   * off by its deadline, never leave a partial file under the name the others read.
   */
  private long write(int mib) throws IOException {
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, "writing-", ".part");
    try {
      ByteBuffer block = ByteBuffer.allocate(MIB);
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        for (int i = 0; i < mib; i++) {
          block.clear();
          while (block.hasRemaining()) {
            out.write(block);
          }
        }
      }
      Files.move(
          partial,
          dir.resolve(mib + SUFFIX),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return (long) mib * MIB;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private Kept kept(long wrote) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new Kept(wrote, 0, List.of());
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> kept =
          files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
      long bytes = 0;
      for (Path file : kept) {
        bytes += Files.size(file);
      }
      return new Kept(wrote, bytes, kept.stream().map(f -> f.getFileName().toString()).toList());
    }
  }

  private static int parse(String raw) {
    try {
      int mib = Integer.parseInt(raw);
      if (mib < 1 || mib > MAX_MIB) {
        throw new BadRequestException("mib must be between 1 and " + MAX_MIB + ", got " + mib);
      }
      return mib;
    } catch (NumberFormatException e) {
      throw new BadRequestException("mib must be a whole number of MiB, got '" + raw + "'");
    }
  }
}
