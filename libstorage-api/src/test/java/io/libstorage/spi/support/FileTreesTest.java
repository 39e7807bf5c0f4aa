package io.libstorage.spi.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

class FileTreesTest {
    @TempDir
    Path dir;

    @Test
    void copyTreeCopiesEveryFileAndDirectoryAndAgainWithReplaceExisting() throws IOException {
        Path from = Files.createDirectories(dir.resolve("from/a/b"));
        Files.writeString(from.resolve("f"), "one");
        Files.createDirectories(dir.resolve("from/empty"));
        Path to = dir.resolve("to");

        FileTrees.copyTree(dir.resolve("from"), to);
        Files.writeString(from.resolve("f"), "two");
        FileTrees.copyTree(dir.resolve("from"), to, StandardCopyOption.REPLACE_EXISTING);

        assertThat(to.resolve("a/b/f")).hasContent("two");
        assertThat(to.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void deleteTreeRemovesEverythingAndIsIdempotent() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/x/y"));
        Files.writeString(root.resolve("f"), "data");

        FileTrees.deleteTree(dir.resolve("root"));
        FileTrees.deleteTree(dir.resolve("root"));

        assertThat(dir.resolve("root")).doesNotExist();
    }
}
