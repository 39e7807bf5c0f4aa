package io.libstorage.cli.internal.output;

/**
 * What a command prints: {@code data} (maps, lists, strings, numbers, booleans, null) for JSON and
 * YAML, and its {@link Table} form.
 */
public record Result(Object data, Table table) {

    /** Prints it to {@code out} in {@code format}. */
    public void print(java.io.PrintStream out, OutputFormat format) {
        switch (format) {
            case TABLE -> table.print(out);
            case JSON -> out.print(Json.write(data));
            case YAML -> out.print(Yaml.write(data));
        }
        out.flush();
    }
}
