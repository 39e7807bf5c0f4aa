package io.libstorage.core.internal.config;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Nested YAML maps to dotted keys: {@code {a: {b: 1}}} becomes {@code {"a.b": 1}}; lists stay values. */
public final class ConfigTree {
    private ConfigTree() {
    }

    /**
     * The dotted keys of {@code tree} under {@code prefix}.
     *
     * @throws InvalidConfigurationException when two keys flatten to one (they differ in case, or one is dotted)
     */
    public static Map<String, Object> flatten(Map<String, ?> tree, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten(tree, prefix, out, new HashMap<>());
        return out;
    }

    private static void flatten(Map<String, ?> tree, String prefix, Map<String, Object> out, Map<String, String> spelled) {
        for (Map.Entry<String, ?> e : tree.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(asMap(m, key), key, out, spelled);
                continue;
            }
            String earlier = spelled.put(key.toLowerCase(Locale.ROOT), key);
            if (earlier != null) {
                throw new InvalidConfigurationException(ErrorContext.of("load configuration"), key,
                        "given twice, also as '" + earlier + "' (keys are case-insensitive; a dotted key names the same place as nested ones)");
            }
            out.put(key, v instanceof List<?> l ? List.copyOf(l.stream().map(String::valueOf).toList()) : v);
        }
    }

    /**
     * {@code value} as a section (a map of keys); {@code null} is an empty section.
     *
     * @throws InvalidConfigurationException naming {@code where} when it is a single value or a list (never quoting it)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value, String where) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), where,
                    "expected a section (a map of keys), found " + (value instanceof List<?> ? "a list" : "a single value"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }
}
