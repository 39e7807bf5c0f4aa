package io.libstorage.localfs.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;

import java.io.IOException;

/**
 * Reads the {@code String}, {@code int} and {@code long} components of the records as Jackson's full data binding
 * (which read these files before) did.
 * jackson-jr on its own takes a JSON object or array where text is expected as {@code null} without skipping it (the
 * rest of the record is then read out of step), and text or {@code true} where a number is expected as {@code 0} or
 * {@code 1}: a damaged file would be read as a wrong record instead of being reported.
 *
 * <p>Kept from it: any scalar reads as text (its JSON spelling); a number read as a whole number drops its
 * fraction (but must fit); a number in a string is parsed; {@code null}, an empty string and {@code "null"} read as
 * {@code 0}. Everything else is a {@link JSONObjectException}.
 */
final class StrictScalars extends JacksonJrExtension {
    @Override
    protected void register(ExtensionContext ctx) {
        ctx.insertProvider(new ReaderWriterProvider() {
            @Override
            public ValueReader findValueReader(JSONReader readContext, Class<?> type) {
                if (type == String.class) {
                    return new Text();
                }
                return type == int.class || type == long.class ? new WholeNumber(type) : null;
            }
        });
    }

    private static JSONObjectException mismatch(JsonParser p, Class<?> type) throws IOException {
        return JSONObjectException.from(p, "Can not create a `" + type.getName() + "` instance out of " + ValueReader._tokenDesc(p));
    }

    private static final class Text extends ValueReader {
        Text() {
            super(String.class);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != null && t.isScalarValue()) {
                return p.getText();
            }
            throw mismatch(p, String.class);
        }
    }

    private static final class WholeNumber extends ValueReader {
        WholeNumber(Class<?> type) {
            super(type);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            boolean isInt = _valueType == int.class;
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                // jackson-core truncates a fraction and throws if the value does not fit
                return isInt ? (Object) p.getIntValue() : (Object) p.getLongValue();
            }
            String text = t == JsonToken.VALUE_STRING ? p.getText().trim() : t == JsonToken.VALUE_NULL ? "" : null;
            if (text == null) {
                throw mismatch(p, _valueType);
            }
            if (text.isEmpty() || text.equals("null")) {
                return isInt ? (Object) 0 : (Object) 0L;
            }
            try {
                return isInt ? (Object) Integer.parseInt(text) : (Object) Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw mismatch(p, _valueType);
            }
        }
    }
}
