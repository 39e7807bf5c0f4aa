package io.libstorage.core.internal.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;

import java.io.IOException;

/**
 * Reads a string, integer or boolean field and refuses every other shape. jackson-jr's own readers of these types
 * take an array or object in their place as null without consuming it, which misreads every field after it; a state
 * file must either read as written or be reported unreadable. Accepted as Jackson's databind accepted them: a
 * string from any scalar, a number from a string of digits, null as null (0 or false for a primitive).
 */
final class StrictScalarReader extends ValueReader {
    private enum Kind { TEXT, INT, LONG, BOOLEAN }

    private final Kind kind;
    private final boolean primitive;

    private StrictScalarReader(Class<?> type, Kind kind) {
        super(type);
        this.kind = kind;
        this.primitive = type.isPrimitive();
    }

    /** The reader of {@code type}, or {@code null} when it is not one of the scalars handled here. */
    static ValueReader forType(Class<?> type) {
        if (type == String.class) {
            return new StrictScalarReader(type, Kind.TEXT);
        }
        if (type == int.class || type == Integer.class) {
            return new StrictScalarReader(type, Kind.INT);
        }
        if (type == long.class || type == Long.class) {
            return new StrictScalarReader(type, Kind.LONG);
        }
        if (type == boolean.class || type == Boolean.class) {
            return new StrictScalarReader(type, Kind.BOOLEAN);
        }
        return null;
    }

    @Override
    public Object read(JSONReader reader, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return primitive ? nullPrimitive() : null;
        }
        if (t == null || t.isStructStart() || t.isStructEnd()) {
            throw failure(p, "expected %s, not %s", expected(), describe(t));
        }
        return switch (kind) {
            case TEXT -> p.getText();
            case INT -> (int) number(p, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> number(p, Long.MIN_VALUE, Long.MAX_VALUE);
            case BOOLEAN -> bool(p);
        };
    }

    /**
     * An error at the parser's position that names the field it is in ({@link JSONObjectException#getPath()}), as
     * jackson-jr's record reader does not.
     */
    static JSONObjectException failure(JsonParser p, String format, Object... args) {
        JSONObjectException e = JSONObjectException.from(p, format, args);
        JsonStreamContext at = p.getParsingContext();
        if (p.currentToken() != null && p.currentToken().isStructStart()) {
            at = at.getParent(); // the array or object this token opened is not where the value is
        }
        for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                e.prependPath(null, c.getCurrentName());
            } else {
                e.prependPath(null, c.getCurrentIndex());
            }
        }
        return e;
    }

    private Object nullPrimitive() {
        return switch (kind) {
            case INT -> 0;
            case LONG -> 0L;
            case BOOLEAN -> false;
            case TEXT -> throw new IllegalStateException("no primitive string");
        };
    }

    private long number(JsonParser p, long min, long max) throws IOException {
        long value;
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            try {
                value = p.getLongValue();
            } catch (InputCoercionException e) {
                throw failure(p, "%s is out of range", p.getText());
            }
        } else if (p.currentToken() == JsonToken.VALUE_STRING) {
            try {
                value = Long.parseLong(p.getText().strip());
            } catch (NumberFormatException e) {
                throw failure(p, "expected %s, not the text '%s'", expected(), p.getText());
            }
        } else {
            throw failure(p, "expected %s, not %s", expected(), describe(p.currentToken()));
        }
        if (value < min || value > max) {
            throw failure(p, "%d is out of range", value);
        }
        return value;
    }

    private boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_STRING && (p.getText().equals("true") || p.getText().equals("false"))) {
            return Boolean.parseBoolean(p.getText());
        }
        throw failure(p, "expected true or false, not %s", describe(t));
    }

    private String expected() {
        return switch (kind) {
            case TEXT -> "a string";
            case INT, LONG -> "an integer";
            case BOOLEAN -> "true or false";
        };
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
