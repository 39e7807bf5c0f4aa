package io.libstorage.core.internal.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
import com.fasterxml.jackson.jr.type.ResolvedType;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The JSON of the state files of this package ({@link VolumeRecord}, {@link VolumeProfile}) with jackson-jr: records
 * through their canonical constructors, fields in declaration order, nulls written, unknown fields ignored (a file of
 * a newer version with more fields still reads), instants as ISO-8601 text, sets as arrays. The same shape Jackson's
 * databind wrote before (records written by earlier versions read unchanged), at a fraction of its classes: the
 * long-running service reads these records at start. Scalars are read strictly ({@link StrictScalarReader}): a field
 * of the wrong shape makes the file unreadable instead of being read as null. Thread-safe.
 */
final class StateJson {
    /** Pretty-printed, as the volume records are written (readable by whoever repairs a host by hand). */
    static final JSON PRETTY = builder().enable(JSON.Feature.PRETTY_PRINT_OUTPUT).build();
    /** Compact, as the profiles are written (they are also kept inside the volume). */
    static final JSON COMPACT = builder().build();

    private StateJson() {
    }

    private static JSON.Builder builder() {
        return JSON.builder()
                .enable(JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
                // a record's fields are its components: no "is" getter such as VolumeRecord.isIdle() is one
                .disable(JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY, JSON.Feature.USE_IS_GETTERS)
                .register(new JacksonJrExtension() {
                    @Override
                    protected void register(ExtensionContext context) {
                        context.insertProvider(new InstantsAndSets());
                    }
                });
    }

    private static final class InstantsAndSets extends ReaderWriterProvider {
        @Override
        public ValueReader findValueReader(JSONReader context, Class<?> type) {
            if (type == Instant.class) {
                return new InstantReader();
            }
            return StrictScalarReader.forType(type);
        }

        @Override
        public ValueWriter findValueWriter(JSONWriter context, Class<?> type) {
            return type == Instant.class ? new InstantWriter() : null;
        }

        @Override
        public ValueReader findCollectionReader(JSONReader context, Class<?> type, ResolvedType valueType, ValueReader values) {
            return Set.class.isAssignableFrom(type) ? new SetReader(type, values) : null;
        }
    }

    private static final class InstantReader extends ValueReader {
        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw StrictScalarReader.failure(p, "an instant must be ISO-8601 text, not %s", p.currentToken());
            }
            try {
                return Instant.parse(p.getText());
            } catch (DateTimeException e) {
                throw StrictScalarReader.failure(p, "'%s' is not an ISO-8601 instant", p.getText());
            }
        }
    }

    private static final class InstantWriter implements ValueWriter {
        @Override
        public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
            g.writeString(value.toString());
        }

        @Override
        public Class<?> valueType() {
            return Instant.class;
        }
    }

    private static final class SetReader extends ValueReader {
        private final ValueReader values;

        SetReader(Class<?> type, ValueReader values) {
            super(type);
            this.values = values;
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (!p.isExpectedStartArrayToken()) {
                throw StrictScalarReader.failure(p, "a set must be a JSON array, not %s", p.currentToken());
            }
            Set<Object> out = new LinkedHashSet<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(values.read(reader, p));
            }
            return out;
        }
    }
}
