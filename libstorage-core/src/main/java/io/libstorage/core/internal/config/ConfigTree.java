package io.libstorage.core.internal.config;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nested YAML maps to dotted keys: {@code {a: {b: 1}}} becomes {@code {"a.b": 1}}; lists stay values. */
public final class ConfigTree {
    private ConfigTree() {
    }

    public static Map<String, Object> flatten(Map<String, ?> tree, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : tree.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                out.putAll(flatten(asMap(m, key), key));
            } else if (v instanceof List<?> l) {
                out.put(key, List.copyOf(l.stream().map(String::valueOf).toList()));
            } else {
                out.put(key, v);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value, String where) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), where,
                    "expected a section (a map of keys), found '" + value + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }
}
