package io.libstorage.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The library's version, written at build time into {@code version.properties} and into the launcher, which passes
 * it as {@value #LAUNCHER_PROPERTY}: a short command then need not open its jar only to read it (the class-data
 * archive holds every class such a command loads, so that read would be the only one: about 5 ms).
 */
public final class Version {
    /** The system property the launcher sets to the version it was built with. */
    public static final String LAUNCHER_PROPERTY = "libstorage.version";
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        String given = System.getProperty(LAUNCHER_PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        try (InputStream in = Version.class.getResourceAsStream("/io/libstorage/cli/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
