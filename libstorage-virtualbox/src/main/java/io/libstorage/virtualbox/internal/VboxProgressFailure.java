package io.libstorage.virtualbox.internal;

import java.util.List;
import java.util.OptionalInt;

/**
 * A progress object that completed with a non-zero result code: the operation that started it, the result code, and
 * the texts of its error info chain (outermost first).
 */
public final class VboxProgressFailure extends VboxException {
    private static final long serialVersionUID = 1L;

    private final int resultCode;
    private final List<String> texts;
    private final String component;

    public VboxProgressFailure(String operation, int resultCode, List<String> texts, String component) {
        super(operation, operation + " failed with " + ResultCodes.describe(resultCode)
                + (texts.isEmpty() ? "" : ": " + String.join("; ", texts)));
        this.resultCode = resultCode;
        this.texts = List.copyOf(texts);
        this.component = component;
    }

    @Override
    public OptionalInt resultCode() {
        return OptionalInt.of(resultCode);
    }

    @Override
    public String text() {
        return String.join("; ", texts);
    }

    /** Every text of the error info chain. */
    public List<String> texts() {
        return texts;
    }

    /** The component that reported the error (e.g. {@code Medium}), or empty. */
    public String component() {
        return component;
    }
}
