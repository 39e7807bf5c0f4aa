package io.libstorage.spi.support;

import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Removal and copy of a directory tree: the one recursive delete and the one recursive copy of the project (the
 * in-memory driver's volume data, temporary directories of tests, examples, benchmarks and the command's
 * {@code cds-training}).
 */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything below it; nothing to do when it does not exist (idempotent). Symbolic
     * links are deleted, never followed, so a link into a volume or another directory cannot make it delete more
     * than its own tree. Whatever is mounted below {@code root} must be unmounted first.
     *
     * @throws IOException the first file that could not be deleted; what was deleted before it stays deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Copies {@code from} and everything below it to {@code to}: directories are created, files copied with
     * {@code options} (e.g. {@code REPLACE_EXISTING}, which makes it idempotent, or {@code COPY_ATTRIBUTES} for modes).
     *
     * @throws IOException the first file or directory that could not be copied; what was copied before stays
     */
    public static void copyTree(Path from, Path to, CopyOption... options) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, options);
                }
            }
        }
    }
}
