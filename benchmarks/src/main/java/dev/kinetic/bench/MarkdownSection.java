package dev.kinetic.bench;

/** Replaces the text between two marker comments of a Markdown file, keeping the markers. */
final class MarkdownSection {
  private MarkdownSection() {}

  static String replace(String document, String name, String content) {
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    int from = document.indexOf(begin);
    int to = document.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("markers " + begin + " … " + end + " not found in order");
    }
    return document.substring(0, from + begin.length())
        + "\n"
        + content.strip()
        + "\n"
        + document.substring(to);
  }
}
