package dev.kinetic.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code WriteSection <markdown file> <section> <content file>}: for the shell-driven benchmarks.
 */
public final class WriteSection {
  private WriteSection() {}

  public static void main(String[] args) throws Exception {
    Path doc = Path.of(args[0]);
    String content = Files.readString(Path.of(args[2]));
    Files.writeString(doc, MarkdownSection.replace(Files.readString(doc), args[1], content));
    System.out.println("updated " + doc + " (" + args[1] + ")");
  }
}
