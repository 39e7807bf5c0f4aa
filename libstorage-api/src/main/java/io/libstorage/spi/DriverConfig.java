package io.libstorage.spi;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.Secret;
import io.libstorage.spi.support.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A driver's configuration section, validated against its {@link ConfigKey}s: unknown keys, missing
 * required keys and malformed values are rejected by {@link #parse} with the full key named
 * ({@code scaleio.systemName}). Values are typed; defaults are applied. Immutable and thread-safe.
 *
 * <p>{@link #toString()} and {@link #describe()} redact secrets.
 */
public final class DriverConfig {
    private final String section;
    private final Map<String, ConfigKey> keys;
    private final Map<String, Object> values;

    private DriverConfig(String section, Map<String, ConfigKey> keys, Map<String, Object> values) {
        this.section = section;
        this.keys = keys;
        this.values = values;
    }

    /**
     * Validates {@code raw} (key to YAML scalar, list or string) against {@code declared}.
     *
     * @param section the section name used in messages, e.g. {@code scaleio}
     * @throws InvalidConfigurationException naming the first bad key
     */
    public static DriverConfig parse(String section, List<ConfigKey> declared, Map<String, ?> raw) {
        Map<String, ConfigKey> byLower = new LinkedHashMap<>();
        for (ConfigKey k : declared) {
            if (byLower.put(k.name().toLowerCase(Locale.ROOT), k) != null) {
                throw new IllegalArgumentException("duplicate key " + k.name() + " in section " + section);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            ConfigKey key = byLower.get(e.getKey().toLowerCase(Locale.ROOT));
            if (key == null) {
                throw invalid(section, e.getKey(), "unknown key; known keys are "
                        + declared.stream().map(ConfigKey::name).sorted().toList());
            }
            if (values.containsKey(key.name())) {
                throw invalid(section, e.getKey(), "given twice (keys are case-insensitive)");
            }
            if (e.getValue() == null) {
                continue;
            }
            values.put(key.name(), convert(section, key, e.getValue()));
        }
        for (ConfigKey k : declared) {
            if (!values.containsKey(k.name())) {
                if (k.defaultValue() != null) {
                    values.put(k.name(), convert(section, k, k.defaultValue()));
                } else if (k.required()) {
                    throw invalid(section, k.name(), "required but not set (" + k.description() + ")");
                }
            }
        }
        Map<String, ConfigKey> keysByName = new LinkedHashMap<>();
        declared.forEach(k -> keysByName.put(k.name(), k));
        return new DriverConfig(section, Collections.unmodifiableMap(keysByName), Collections.unmodifiableMap(values));
    }

    /** An empty configuration for a driver with no keys. */
    public static DriverConfig empty(String section) {
        return parse(section, List.of(), Map.of());
    }

    private static Object convert(String section, ConfigKey key, Object value) {
        String text = value instanceof Collection<?> ? null : String.valueOf(value).strip();
        try {
            return switch (key.type()) {
                case STRING -> requireScalar(text);
                case SECRET -> Secret.of(requireScalar(text));
                case PATH -> Path.of(requireScalar(text));
                case BOOLEAN -> parseBoolean(requireScalar(text));
                case INTEGER -> Long.parseLong(requireScalar(text));
                case DURATION -> Durations.parse(requireScalar(text));
                case BYTES -> ByteSizes.parse(requireScalar(text));
                case ENUM -> key.allowedValues().stream().filter(v -> v.equalsIgnoreCase(requireScalar(text))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("must be one of " + key.allowedValues()));
                case STRING_LIST -> value instanceof Collection<?> c
                        ? c.stream().map(String::valueOf).map(String::strip).toList()
                        : splitList(text);
            };
        } catch (IllegalArgumentException e) {
            String shown = key.secret() ? "******" : String.valueOf(value);
            throw invalid(section, key.name(), "value '" + shown + "' is not a valid " + key.type().name().toLowerCase(Locale.ROOT)
                    + ": " + e.getMessage());
        }
    }

    private static String requireScalar(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a single value is expected, not a list");
        }
        return text;
    }

    private static boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static List<String> splitList(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return List.copyOf(out);
    }

    private static InvalidConfigurationException invalid(String section, String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("load configuration", null, null, section),
                section.isEmpty() ? key : section + "." + key, problem);
    }

    /** The section name, e.g. {@code scaleio}. */
    public String section() {
        return section;
    }

    /** The declared keys. */
    public Collection<ConfigKey> keys() {
        return keys.values();
    }

    /** Whether a value (given or default) is present. */
    public boolean has(String key) {
        return values.containsKey(declared(key).name());
    }

    public String string(String key) {
        return (String) require(key);
    }

    public Optional<String> optionalString(String key) {
        return Optional.ofNullable((String) values.get(declared(key).name()));
    }

    public boolean bool(String key) {
        return (Boolean) require(key);
    }

    public long integer(String key) {
        return (Long) require(key);
    }

    public Duration duration(String key) {
        return (Duration) require(key);
    }

    public long bytes(String key) {
        return (Long) require(key);
    }

    public Path path(String key) {
        return (Path) require(key);
    }

    public Optional<Path> optionalPath(String key) {
        return Optional.ofNullable((Path) values.get(declared(key).name()));
    }

    public Optional<Secret> secret(String key) {
        return Optional.ofNullable((Secret) values.get(declared(key).name()));
    }

    @SuppressWarnings("unchecked")
    public List<String> stringList(String key) {
        Object v = values.get(declared(key).name());
        return v == null ? List.of() : (List<String>) v;
    }

    /** The raw typed value, or empty. */
    public Optional<Object> value(String key) {
        return Optional.ofNullable(values.get(declared(key).name()));
    }

    private Object require(String key) {
        Object v = values.get(declared(key).name());
        if (v == null) {
            throw invalid(section, key, "required but not set (" + declared(key).description() + ")");
        }
        return v;
    }

    private ConfigKey declared(String key) {
        ConfigKey k = keys.get(key);
        if (k == null) {
            throw new IllegalStateException("driver bug: key " + section + "." + key + " was not declared");
        }
        return k;
    }

    /** Every key with its effective value as text, secrets redacted, sorted by key. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        for (ConfigKey k : keys.values()) {
            Object v = values.get(k.name());
            out.put(k.name(), v == null ? "" : v instanceof Duration d ? Durations.format(d) : String.valueOf(v));
        }
        return out;
    }

    @Override
    public String toString() {
        return section + describe();
    }
}
