package dev.kinetic.javaruntime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListingTest {
  @Test
  void entriesSkipCommentsAndBlankLinesAndLoseTheirWhiteSpace() {
    String text =
        "# why each module is here\njava.base\n\n  jdk.httpserver  \n\t# indented note\nx\r\n";
    assertThat(Listing.entries(text)).containsExactly("java.base", "jdk.httpserver", "x");
  }

  @Test
  void aFileOfCommentsListsNothing() {
    assertThat(Listing.entries("# nothing yet\n\n")).isEmpty();
  }
}
