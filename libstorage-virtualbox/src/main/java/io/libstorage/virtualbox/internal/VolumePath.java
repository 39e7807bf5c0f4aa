package io.libstorage.virtualbox.internal;

import java.util.Optional;

/**
 * The volume directory on the VirtualBox host ({@code volumePath}): a volume named {@code n} is the medium at
 * {@code volumePath/n} (no extension added, as REX-Ray did, so its volumes are found), and only media directly in that
 * directory are volumes, never a VM's own disks or another directory's media. The host may be Windows: the separator
 * is the one the configured path uses.
 */
final class VolumePath {
    private final String dir;
    private final char separator;

    VolumePath(String configured) {
        String d = configured.strip();
        this.separator = d.indexOf('\\') >= 0 && d.indexOf('/') < 0 ? '\\' : '/';
        while (d.length() > 1 && (d.endsWith("/") || d.endsWith("\\"))) {
            d = d.substring(0, d.length() - 1);
        }
        this.dir = d;
    }

    /** Where volume {@code name} lives on the host. */
    String location(String name) {
        return prefix() + name;
    }

    private String prefix() {
        return dir.endsWith(String.valueOf(separator)) ? dir : dir + separator;
    }

    /** The volume name of a medium at {@code location}, when it lies directly in the volume directory. */
    Optional<String> nameOf(String location) {
        String prefix = prefix();
        if (location == null || !location.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = location.substring(prefix.length());
        if (rest.isEmpty() || rest.indexOf('/') >= 0 || rest.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        return Optional.of(rest);
    }

    @Override
    public String toString() {
        return dir;
    }
}
