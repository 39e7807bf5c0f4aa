package io.libstorage.spi;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One configuration key of a driver, described once so that validation, documentation and CLI help
 * come from the same place.
 *
 * @param name the key inside the driver's section (camelCase as in REX-Ray; matched case-insensitively)
 * @param type how the value is parsed
 * @param defaultValue the default as text, or {@code null} when there is none; a {@link ConfigType#PATH} default
 *                     starting with {@link #STATE_ROOT} names a place under the effective state root
 * @param description one sentence for documentation
 * @param required whether a value must be given
 * @param allowedValues for {@link ConfigType#ENUM}, the accepted values
 */
public record ConfigKey(String name, ConfigType type, @Nullable String defaultValue, String description, boolean required,
                        List<String> allowedValues) {
    /**
     * How a default names the state root ({@code libstorage.stateRoot}): {@code <stateRoot>/localfs} is resolved
     * by {@link DriverConfig} against the effective state root, so that everything a driver writes follows it.
     */
    public static final String STATE_ROOT = "<stateRoot>";

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        allowedValues = List.copyOf(allowedValues);
        if (type == ConfigType.ENUM && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("enum key " + name + " needs allowed values");
        }
        if (type == ConfigType.SECRET && defaultValue != null) {
            throw new IllegalArgumentException("secret key " + name + " must not have a default");
        }
        if (defaultValue != null && defaultValue.startsWith(STATE_ROOT) && type != ConfigType.PATH) {
            throw new IllegalArgumentException("key " + name + ": only a path default may be under " + STATE_ROOT);
        }
    }

    /** An optional key with a default. */
    public static ConfigKey optional(String name, ConfigType type, String defaultValue, String description) {
        return new ConfigKey(name, type, defaultValue, description, false, List.of());
    }

    /** A key that must be given. */
    public static ConfigKey required(String name, ConfigType type, String description) {
        return new ConfigKey(name, type, null, description, true, List.of());
    }

    /**
     * An optional directory whose default is {@code relative} under the state root, e.g. {@code localfs} for
     * {@code <stateRoot>/localfs}: every directory a driver writes should be declared so.
     */
    public static ConfigKey stateDirectory(String name, String relative, String description) {
        return new ConfigKey(name, ConfigType.PATH, STATE_ROOT + "/" + relative, description, false, List.of());
    }

    /** An enum key. */
    public static ConfigKey oneOf(String name, String defaultValue, String description, String... values) {
        return new ConfigKey(name, ConfigType.ENUM, defaultValue, description, false, List.of(values));
    }

    /** Whether the value is a secret (never printed). */
    public boolean secret() {
        return type == ConfigType.SECRET;
    }
}
