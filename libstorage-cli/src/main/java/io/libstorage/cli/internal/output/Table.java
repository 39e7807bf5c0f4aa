package io.libstorage.cli.internal.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table form of a result. */
public sealed interface Table {

    /** Prints it; nothing at all for an empty {@link Lines}. */
    void print(PrintStream out);

    /** A header and rows, aligned in columns separated by two spaces. */
    record Rows(List<String> headers, List<List<String>> rows) implements Table {
        public Rows {
            headers = List.copyOf(headers);
            rows = rows.stream().map(r -> r.stream().map(c -> c == null ? "" : c).toList()).toList();
        }

        @Override
        public void print(PrintStream out) {
            int[] width = new int[headers.size()];
            List<List<String>> all = new ArrayList<>();
            all.add(headers);
            all.addAll(rows);
            for (List<String> r : all) {
                for (int i = 0; i < width.length && i < r.size(); i++) {
                    width[i] = Math.max(width[i], r.get(i).length());
                }
            }
            for (List<String> r : all) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    String cell = i < r.size() ? r.get(i) : "";
                    line.append(cell);
                    if (i < width.length - 1) {
                        line.append(" ".repeat(width[i] - cell.length() + 2));
                    }
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    /** One object: {@code field  value} lines, fields aligned. */
    record Fields(Map<String, String> fields) implements Table {
        public Fields {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public void print(PrintStream out) {
            int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
            fields.forEach((k, v) -> out.println((k + " ".repeat(width - k.length() + 2) + (v == null ? "" : v)).stripTrailing()));
        }
    }

    /** Plain lines (a path, names). */
    record Lines(List<String> lines) implements Table {
        public Lines {
            lines = List.copyOf(lines);
        }

        @Override
        public void print(PrintStream out) {
            lines.forEach(out::println);
        }
    }

    /** Several tables separated by an empty line. */
    record Sections(List<Table> sections) implements Table {
        public Sections {
            sections = List.copyOf(sections);
        }

        @Override
        public void print(PrintStream out) {
            for (int i = 0; i < sections.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                sections.get(i).print(out);
            }
        }
    }
}
