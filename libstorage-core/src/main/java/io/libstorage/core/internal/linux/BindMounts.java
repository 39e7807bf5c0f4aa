package io.libstorage.core.internal.linux;

import io.libstorage.api.BindState;
import io.libstorage.api.MountEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mount --bind} as the mount table shows it: whether a target holds a source is decided by device number
 * and the path inside the source's filesystem, so a bind of a bind (a CSI target of a staging path) is recognised.
 */
final class BindMounts {
    /** Stacked mounts removed at most by one {@link LinuxOSDriver#unbind}. */
    static final int MAX_STACKED = 16;

    private BindMounts() {
    }

    static BindState state(List<MountEntry> table, Path source, Path target) {
        MountEntry at = MountTable.at(table, LinuxOSDriver.canonical(target));
        if (at == null) {
            return BindState.NOTHING;
        }
        Origin origin = origin(table, real(source));
        if (origin != null && origin.deviceNumber.equals(at.deviceNumber()) && origin.root.equals(at.root())) {
            return at.readOnly() ? BindState.SOURCE_READ_ONLY : BindState.SOURCE_READ_WRITE;
        }
        return BindState.OTHER;
    }

    /** The device and the path inside its filesystem that {@code path} lies at. */
    private static Origin origin(List<MountEntry> table, Path path) {
        MountEntry best = null;
        for (MountEntry e : table) {
            if (path.startsWith(e.mountPoint()) && (best == null || e.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = e;
            }
        }
        if (best == null) {
            return null;
        }
        Path inside = best.mountPoint().relativize(path);
        String root = best.root().equals("/") ? "/" + inside : best.root() + (inside.toString().isEmpty() ? "" : "/" + inside);
        return new Origin(best.deviceNumber(), Path.of(root).normalize().toString());
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private record Origin(String deviceNumber, String root) {
    }
}
