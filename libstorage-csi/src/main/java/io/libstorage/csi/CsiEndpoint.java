package io.libstorage.csi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the plugin listens: the unix socket named by {@code CSI_ENDPOINT}, given as
 * {@code unix:///path/to/csi.sock} (the form the specification uses) or as a plain absolute path.
 *
 * @param socket the socket file
 */
public record CsiEndpoint(Path socket) {
    /** The environment variable the container orchestrator sets. */
    public static final String VARIABLE = "CSI_ENDPOINT";

    public CsiEndpoint {
        Objects.requireNonNull(socket, "socket");
    }

    /**
     * The endpoint named by {@code text}.
     *
     * @throws IllegalArgumentException for another scheme (CSI allows unix sockets only), a relative or empty path
     */
    public static CsiEndpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is not set: give the socket as unix:///path/to/csi.sock");
        }
        String t = text.strip();
        String path;
        if (t.startsWith("unix://")) {
            path = t.substring("unix://".length());
        } else if (t.startsWith("unix:")) {
            path = t.substring("unix:".length());
        } else if (t.contains("://")) {
            throw new IllegalArgumentException("CSI endpoints are unix sockets only, not '" + t + "': give unix:///path/to/csi.sock");
        } else {
            path = t;
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the CSI endpoint '" + t + "' does not name an absolute socket path (unix:///path/to/csi.sock)");
        }
        return new CsiEndpoint(Path.of(path).normalize());
    }

    @Override
    public String toString() {
        return "unix://" + socket;
    }
}
