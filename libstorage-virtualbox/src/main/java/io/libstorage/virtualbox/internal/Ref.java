package io.libstorage.virtualbox.internal;

import java.util.Objects;

/**
 * A managed object reference ({@code <websession>-<object>}, 16 hex digits each). Never empty: an empty reference
 * from the web service means "none" or "your websession is gone" and is never sent back (an empty {@code _this} is
 * the {@code Invalid managed object reference ""} of REX-Ray's issue 1218).
 */
public record Ref(String id) {
    public Ref {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a managed object reference is never empty");
        }
    }

    /** The websession part (the first 16 hex digits). */
    public String websession() {
        int dash = id.indexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    @Override
    public String toString() {
        return id;
    }
}
