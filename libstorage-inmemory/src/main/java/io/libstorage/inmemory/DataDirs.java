package io.libstorage.inmemory;

import io.libstorage.spi.support.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The real directories that hold simulated volumes' and snapshots' files. */
final class DataDirs {
    private DataDirs() {
    }

    /** Copies the files of {@code from} (if it exists) into {@code to}, which is created. */
    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            if (!Files.isDirectory(from)) {
                return;
            }
            FileTrees.copyTree(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes what {@code dir} holds and keeps the directory (a new filesystem on a disk). */
    static void clear(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(DataDirs::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a tree, best effort: it is temporary data of a simulation. */
    static void delete(Path root) {
        try {
            FileTrees.deleteTree(root);
        } catch (IOException e) {
            // best effort for temporary data
        }
    }
}
