package io.libstorage.csi.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Bind mounts for OS drivers that simulate mounts (the in-memory driver): a "bound" target is a
 * symbolic link to its source, so files written through it land in the source, and the state
 * survives a restart of the plugin as a real mount would. A read-only bind links to
 * {@code <source>/.} (the same directory), which is how it is told apart from a read-write one.
 */
final class SimulatedBindMounts implements BindMounts {
    private static final String READ_ONLY_SUFFIX = "/.";

    @Override
    public State state(Path source, Path target) {
        if (!Files.isSymbolicLink(target)) {
            return State.NOTHING;
        }
        String link = read(target);
        if (link.equals(source.toString())) {
            return State.SOURCE_READ_WRITE;
        }
        if (link.equals(source + READ_ONLY_SUFFIX)) {
            return State.SOURCE_READ_ONLY;
        }
        return State.OTHER;
    }

    @Override
    public boolean mounted(Path target) {
        return Files.isSymbolicLink(target);
    }

    @Override
    public void bind(Path source, Path target, boolean readOnly, String volume) {
        if (state(source, target) != State.NOTHING) {
            return;
        }
        try {
            boolean file = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(source + (readOnly && !file ? READ_ONLY_SUFFIX : "")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + source + " at " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unbind(Path target, String volume) {
        if (!mounted(target)) {
            return;
        }
        try {
            boolean directory = Files.isDirectory(target);
            Files.delete(target);
            if (directory) {
                Files.createDirectory(target);
            } else {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unbind " + target + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
