package io.libstorage.docker.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** The plugin's files on disk: socket directory, stale sockets, permissions, spec files. */
public final class SocketFiles {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /** Creates {@code dir} (and missing parents) with mode 0755 when it does not exist. */
    public static void ensureDirectory(Path dir, ErrorContext ctx) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (FileAlreadyExistsException e) {
            throw new OperationFailedException(ctx, dir + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot create the socket directory " + dir + ": " + e, e);
        }
    }

    /**
     * Checks, changing nothing, that a plugin may bind {@code socket}: it does not exist, or it is a stale
     * socket left by a plugin that did not stop cleanly: nothing answers on it, and it belongs to this
     * process's user (the one a plugin started like this one would have created). Refuses when something is
     * still listening on it (another plugin instance serves that name), when the path is not a socket, and
     * when the socket belongs to another user (another program's, which is not ours to delete).
     */
    public static void checkReplaceable(Path socket, ErrorContext ctx) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socket)) {
            throw new OperationFailedException(ctx, socket + " exists and is not a socket; refusing to replace it", null);
        }
        if (accepting(socket)) {
            throw new OperationFailedException(ctx, "another process is serving " + socket
                    + " (a plugin with this name is already running; stop it first, or give this one another name)", null);
        }
        int owner = uid(socket, ctx);
        int self = uid(Path.of("/proc/self"), ctx);
        if (owner != self) {
            throw new OperationFailedException(ctx, "the stale socket " + socket + " belongs to user id " + owner
                    + ", not to this process's user id " + self + "; refusing to remove another user's socket (remove it by hand"
                    + " if it is a leftover of this plugin)", null);
        }
    }

    /** The owner of {@code path} itself (not a link's target); of /proc/self: this process's effective user. */
    private static int uid(Path path, ErrorContext ctx) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new OperationFailedException(ctx, "cannot read the owner of " + path + ": " + e, e);
        }
    }

    /**
     * Removes a stale socket left by a plugin that did not stop cleanly, after {@link #checkReplaceable}.
     */
    public static void removeStale(Path socket, ErrorContext ctx) {
        checkReplaceable(socket, ctx);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot remove the stale socket " + socket + ": " + e, e);
        }
    }

    /** Whether {@code path} is a unix-domain socket file. */
    public static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a process accepts connections on the socket. */
    public static boolean accepting(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    /** Mode 0660 and, when given, the group. */
    public static void restrict(Path socket, String group, ErrorContext ctx) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            if (group != null) {
                GroupPrincipal g = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
            }
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot set the owner group or mode of " + socket + ": " + e, e);
        }
    }

    /** Writes a spec file pointing at the socket; returns whether this call wrote it (false: it was already there, identical). */
    public static boolean writeSpec(Path spec, Path socket, ErrorContext ctx) {
        String content = "unix://" + socket + "\n";
        try {
            if (Files.isRegularFile(spec) && Files.readString(spec).strip().equals(content.strip())) {
                return false;
            }
            ensureDirectory(spec.getParent(), ctx);
            Path tmp = spec.resolveSibling(spec.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, spec, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write the plugin spec file " + spec + ": " + e, e);
        }
    }

    /** Deletes {@code spec} if it still points at {@code socket}. */
    public static void removeSpec(Path spec, Path socket) throws IOException {
        if (Files.isRegularFile(spec) && Files.readString(spec).strip().equals("unix://" + socket)) {
            Files.deleteIfExists(spec);
        }
    }
}
