package dev.kinetic.javaruntime;

import java.util.List;

/**
 * The format of the project's list files ({@code operator/images/java-modules}, {@code
 * operator/activator/jvm-flags}): one entry per line, blank lines and {@code #} comments ignored,
 * so each entry can say why it is there.
 */
public final class Listing {
  private Listing() {}

  /** The entries of a list file's text, in order, without surrounding white space. */
  public static List<String> entries(String text) {
    return text.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
