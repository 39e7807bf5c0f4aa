package io.libstorage.core;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.util.Locale;
import java.util.Map;

/**
 * The log levels of the {@code libstorage} command. Every place that sets one is checked by
 * {@link #parse}: {@code libstorage.logging.level}, REX-Ray's {@code rexray.logLevel} and the
 * {@code LIBSTORAGE_LOG_LEVEL} variable. Names are case-insensitive; logrus's {@code warning},
 * {@code fatal} and {@code panic}, which REX-Ray configurations use, are read as {@code warn},
 * {@code error} and {@code error}.
 */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR, OFF;

    private static final Map<String, LogLevel> REX_RAY_NAMES = Map.of("warning", WARN, "fatal", ERROR, "panic", ERROR);

    /**
     * The level named by {@code text}.
     *
     * @param where the key or variable it came from, named in the error
     * @throws InvalidConfigurationException naming {@code where} and listing the levels
     */
    public static LogLevel parse(String text, String where) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (LogLevel l : values()) {
            if (l.toString().equals(name)) {
                return l;
            }
        }
        LogLevel rexRay = REX_RAY_NAMES.get(name);
        if (rexRay != null) {
            return rexRay;
        }
        throw new InvalidConfigurationException(ErrorContext.of("load configuration"), where, "'" + text
                + "' is not a log level; one of trace, debug, info, warn, error, off (REX-Ray's warning, fatal and panic are read as warn, error, error)");
    }

    /** The lower-case name, as SLF4J back ends spell it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
