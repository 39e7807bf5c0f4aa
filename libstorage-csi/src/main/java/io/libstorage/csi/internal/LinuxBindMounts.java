package io.libstorage.csi.internal;

import io.libstorage.api.MountEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code mount --bind} and {@code umount}, checked against {@code /proc/self/mountinfo}. */
final class LinuxBindMounts implements BindMounts {
    private static final int MAX_STACKED = 16;
    private final Library library;

    LinuxBindMounts(Library library) {
        this.library = library;
    }

    @Override
    public State state(Path source, Path target) {
        List<MountEntry> table = library.mounts("bind", null);
        MountEntry at = at(table, target);
        if (at == null) {
            return State.NOTHING;
        }
        Origin origin = origin(table, real(source));
        if (origin != null && origin.deviceNumber.equals(at.deviceNumber()) && origin.root.equals(at.root())) {
            return at.readOnly() ? State.SOURCE_READ_ONLY : State.SOURCE_READ_WRITE;
        }
        return State.OTHER;
    }

    @Override
    public boolean mounted(Path target) {
        return at(library.mounts("unbind", null), target) != null;
    }

    @Override
    public void bind(Path source, Path target, boolean readOnly, String volume) {
        State s = state(source, target);
        if (s == State.NOTHING) {
            library.run("bind", volume, List.of("mount", "--bind", source.toString(), target.toString()));
            s = State.SOURCE_READ_WRITE;
        }
        if (readOnly && s == State.SOURCE_READ_WRITE) {
            library.run("bind", volume, List.of("mount", "-o", "remount,bind,ro", target.toString()));
        }
    }

    @Override
    public void unbind(Path target, String volume) {
        for (int i = 0; i < MAX_STACKED && mounted(target); i++) {
            library.run("unbind", volume, List.of("umount", target.toString()));
        }
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

    /** The mount on top at {@code target} (the last one listed: later mounts stack on earlier ones). */
    private static MountEntry at(List<MountEntry> table, Path target) {
        Path wanted = real(target);
        MountEntry top = null;
        for (MountEntry e : table) {
            if (e.mountPoint().equals(wanted) || e.mountPoint().equals(target)) {
                top = e;
            }
        }
        return top;
    }

    private record Origin(String deviceNumber, String root) {
    }
}
