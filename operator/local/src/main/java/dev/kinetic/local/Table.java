package dev.kinetic.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rows of cells printed as left-aligned columns, each as wide as its widest cell, as {@code kubectl
 * get} prints them: a name or URL longer than the others moves the columns after it instead of
 * pushing its own row out of line. A row may carry a note, printed indented on the line below it.
 */
final class Table {
  private static final String GAP = "   ";
  private static final String NOTE_INDENT = "    ";

  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * Adds a row (the first is usually the headings); a shorter row leaves its last columns empty.
   */
  Table row(String... cells) {
    rows.add(List.of(cells));
    notes.add(null);
    return this;
  }

  /** Puts a line under the last row, for what does not fit a column (a condition's message). */
  Table note(String line) {
    notes.set(notes.size() - 1, line);
    return this;
  }

  List<String> lines() {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (i == widths.size()) {
          widths.add(0);
        }
        widths.set(i, Math.max(widths.get(i), row.get(i).length()));
      }
    }
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder();
      List<String> row = rows.get(r);
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths.get(i) - row.get(i).length())).append(GAP);
        }
      }
      lines.add(line.toString().stripTrailing());
      if (notes.get(r) != null) {
        lines.add(NOTE_INDENT + notes.get(r));
      }
    }
    return Collections.unmodifiableList(lines);
  }
}
