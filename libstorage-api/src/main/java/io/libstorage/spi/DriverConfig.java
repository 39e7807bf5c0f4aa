package io.libstorage.spi;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.Secret;
import io.libstorage.spi.support.Durations;
import io.libstorage.spi.support.KeySuggestions;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A driver's configuration section, validated against its {@link ConfigKey}s: unknown keys, missing
 * required keys and malformed values are rejected by {@link #parse}, every one of them in one
 * exception, each with its full key named ({@code scaleio.systemName}) and, for an unknown key, the
 * known key it probably meant. Values are typed; defaults are applied, those under the state root
 * ({@link ConfigKey#STATE_ROOT}) resolved against it. Immutable and thread-safe.
 *
 * <p>{@link #toString()}, {@link #describe()} and error messages never show a secret's value.
 */
public final class DriverConfig {
    /** The state root when none is configured ({@code libstorage.stateRoot}). */
    public static final Path DEFAULT_STATE_ROOT = Path.of("/var/lib/libstorage");

    private final String section;
    private final Map<String, ConfigKey> keys;
    private final Map<String, Object> values;
    private final Path stateRoot;

    private DriverConfig(String section, Map<String, ConfigKey> keys, Map<String, Object> values, Path stateRoot) {
        this.section = section;
        this.keys = keys;
        this.values = values;
        this.stateRoot = stateRoot;
    }

    /**
     * Validates {@code raw} against {@code declared}, with the {@link #DEFAULT_STATE_ROOT}.
     *
     * @see #parse(String, List, Map, Path, Collection)
     */
    public static DriverConfig parse(String section, List<ConfigKey> declared, Map<String, ?> raw) {
        return parse(section, declared, raw, DEFAULT_STATE_ROOT, List.of());
    }

    /**
     * Validates {@code raw} (key to YAML scalar, list or string) against {@code declared}.
     *
     * @param section the section name used in messages, e.g. {@code scaleio}
     * @param stateRoot the effective state root, against which defaults under {@link ConfigKey#STATE_ROOT} resolve
     * @param knownElsewhere full names of the keys of other sections ({@code libstorage.service}), offered for an
     *                       unknown key that belongs there
     * @throws InvalidConfigurationException naming every unknown, repeated, missing or malformed key
     */
    public static DriverConfig parse(String section, List<ConfigKey> declared, Map<String, ?> raw, Path stateRoot,
                                     Collection<String> knownElsewhere) {
        Map<String, ConfigKey> byLower = new LinkedHashMap<>();
        for (ConfigKey k : declared) {
            if (byLower.put(k.name().toLowerCase(Locale.ROOT), k) != null) {
                throw new IllegalArgumentException("duplicate key " + k.name() + " in section " + section);
            }
        }
        List<InvalidConfigurationException> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> given = new LinkedHashMap<>();
        Set<String> failed = new HashSet<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            ConfigKey key = byLower.get(e.getKey().toLowerCase(Locale.ROOT));
            if (key == null) {
                problems.add(unknown(section, e.getKey(), declared, knownElsewhere));
                continue;
            }
            String earlier = given.put(key.name(), e.getKey());
            if (earlier != null) {
                problems.add(invalid(section, e.getKey(), "given twice, also as '" + earlier + "' (keys are case-insensitive)"));
                failed.add(key.name());
            } else if (e.getValue() != null) {
                try {
                    values.put(key.name(), convert(section, key, e.getValue(), stateRoot));
                } catch (InvalidConfigurationException bad) {
                    problems.add(bad);
                    failed.add(key.name());
                }
            }
        }
        for (ConfigKey k : declared) {
            if (values.containsKey(k.name()) || failed.contains(k.name())) {
                continue;
            }
            if (k.defaultValue() != null) {
                values.put(k.name(), convert(section, k, k.defaultValue(), stateRoot));
            } else if (k.required()) {
                problems.add(invalid(section, k.name(), "required but not set (" + k.description() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw InvalidConfigurationException.combine(problems);
        }
        Map<String, ConfigKey> keysByName = new LinkedHashMap<>();
        declared.forEach(k -> keysByName.put(k.name(), k));
        return new DriverConfig(section, Collections.unmodifiableMap(keysByName), Collections.unmodifiableMap(values), stateRoot);
    }

    private static InvalidConfigurationException unknown(String section, String key, List<ConfigKey> declared,
                                                         Collection<String> knownElsewhere) {
        List<String> known = new ArrayList<>();
        declared.forEach(k -> known.add(qualified(section, k.name())));
        known.addAll(knownElsewhere);
        String hint = KeySuggestions.didYouMean(qualified(section, key), known);
        return invalid(section, key, "unknown key" + (hint.isEmpty()
                ? "; the keys of " + (section.isEmpty() ? "this section" : section) + " are "
                        + declared.stream().map(ConfigKey::name).sorted().toList()
                : hint));
    }

    /** An empty configuration for a driver with no keys. */
    public static DriverConfig empty(String section) {
        return parse(section, List.of(), Map.of());
    }

    private static Object convert(String section, ConfigKey key, Object value, Path stateRoot) {
        String text = value instanceof Collection<?> || value instanceof Map<?, ?> ? null : String.valueOf(value).strip();
        try {
            return switch (key.type()) {
                case STRING -> requireScalar(text);
                case SECRET -> Secret.of(requireScalar(text));
                case PATH -> path(requireScalar(text), stateRoot);
                case BOOLEAN -> parseBoolean(requireScalar(text));
                case INTEGER -> parseInteger(requireScalar(text));
                case DURATION -> Durations.parse(requireScalar(text));
                case BYTES -> ByteSizes.parse(requireScalar(text));
                case BYTES_WITH_UNIT -> ByteSizes.parseWithUnit(requireScalar(text));
                case ENUM -> key.allowedValues().stream().filter(v -> v.equalsIgnoreCase(requireScalar(text))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not one of " + key.allowedValues()));
                case STRING_LIST -> value instanceof Collection<?> c
                        ? c.stream().map(String::valueOf).map(String::strip).toList()
                        : splitList(requireScalar(text));
            };
        } catch (IllegalArgumentException e) {
            throw invalid(section, key.name(), problem(key, text, e.getMessage()));
        }
    }

    /** What is wrong with a value: never the value of a secret; sizes, durations and enums quote it themselves. */
    private static String problem(ConfigKey key, String text, String why) {
        if (text == null) {
            return "a single value is expected, not a list or section";
        }
        if (key.secret()) {
            return "the value (not shown) is not valid";
        }
        return switch (key.type()) {
            case BYTES, BYTES_WITH_UNIT, ENUM, DURATION -> why;
            case BOOLEAN -> quote(text) + " is not true or false";
            case INTEGER -> quote(text) + " is not a whole number";
            default -> quote(text) + " is not valid" + (why == null ? "" : ": " + why);
        };
    }

    private static String quote(String text) {
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
    }

    private static Path path(String text, Path stateRoot) {
        if (text.startsWith(ConfigKey.STATE_ROOT)) {
            String rest = text.substring(ConfigKey.STATE_ROOT.length()).replaceFirst("^/+", "");
            return rest.isEmpty() ? stateRoot : stateRoot.resolve(rest);
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("a path cannot contain a NUL character");
        }
    }

    private static long parseInteger(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
    }

    private static String requireScalar(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a single value is expected, not a list or section");
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
                qualified(section, key), problem);
    }

    private static String qualified(String section, String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    /** The section name, e.g. {@code scaleio}. */
    public String section() {
        return section;
    }

    /** The state root that defaults under {@link ConfigKey#STATE_ROOT} were resolved against. */
    public Path stateRoot() {
        return stateRoot;
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
            out.put(k.name(), v == null ? "" : v instanceof Duration d ? Durations.format(d)
                    : v instanceof Long bytes && (k.type() == ConfigType.BYTES || k.type() == ConfigType.BYTES_WITH_UNIT)
                    ? ByteSizes.format(bytes) : String.valueOf(v));
        }
        return out;
    }

    @Override
    public String toString() {
        return section + describe();
    }
}
