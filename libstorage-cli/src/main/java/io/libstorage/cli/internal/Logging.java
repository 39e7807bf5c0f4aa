package io.libstorage.cli.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Configures slf4j-simple (the command's logging backend, writing to standard error) before the first
 * logger is created. Later calls have no effect: slf4j-simple reads its settings once per JVM.
 */
public final class Logging {
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");
    private static final List<String> SECRET_BEARING_LOGGERS = List.of(
            "org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire", "org.apache.hc.client5.http2");
    private static volatile boolean configured;

    private Logging() {
    }

    /**
     * Sets the log level ({@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error} or {@code off});
     * {@code timestamps} adds the time to each line (for the long-running service).
     */
    public static synchronized void configure(String level, boolean timestamps) {
        if (configured) {
            return;
        }
        configured = true;
        String l = level == null ? "warn" : level.toLowerCase(Locale.ROOT);
        set("org.slf4j.simpleLogger.defaultLogLevel", LEVELS.contains(l) ? l : "warn");
        set("org.slf4j.simpleLogger.logFile", "System.err");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.showShortLogName", "true");
        set("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (timestamps) {
            set("org.slf4j.simpleLogger.showDateTime", "true");
            set("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
        // Jetty is chatty at info
        set("org.slf4j.simpleLogger.log.org.eclipse.jetty", l.equals("debug") || l.equals("trace") ? "info" : "warn");
        // HttpClient's header, wire and HTTP/2 frame loggers print Authorization headers and bodies (passwords, tokens):
        // off at every level, even if set otherwise (the ScaleIO driver never calls them; a third-party driver might)
        for (String secretBearing : SECRET_BEARING_LOGGERS) {
            System.setProperty("org.slf4j.simpleLogger.log." + secretBearing, "off");
        }
    }

    private static void set(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
