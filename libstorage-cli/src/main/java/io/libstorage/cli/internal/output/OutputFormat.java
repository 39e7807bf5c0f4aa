package io.libstorage.cli.internal.output;

/** How results are printed on standard output ({@code -o table|json|yaml}). */
public enum OutputFormat {
    /** Aligned columns (lists) or field/value lines (single objects); the default. */
    TABLE,
    /** Pretty-printed JSON. */
    JSON,
    /** YAML (one document, no {@code ---} marker). */
    YAML
}
