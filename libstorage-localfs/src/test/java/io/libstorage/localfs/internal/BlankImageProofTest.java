package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The stamp of an image localfs made empty proves it blank, and any write, anywhere in it, takes the proof away. */
class BlankImageProofTest {
    private static final long SIZE = 64L << 20;
    private static final ErrorContext CTX = ErrorContext.of("test", "v", "h", "localfs");
    private Path dir;
    private Images images;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("libstorage-blank-proof-").toRealPath();
        images = new Images(SystemProcessRunner.instance(), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() throws IOException {
        FileTrees.deleteTree(dir);
    }

    /** The stamp (written where the kernel and file system make it a proof: 6.13+ and ext4, xfs, btrfs or tmpfs). */
    private BlankImageProof.Stamp freshImage(Path image) throws IOException {
        BlankImageProof.Stamp s = images.createSparse(image, SIZE, CTX);
        if (BlankImageProof.timesAreExact(dir)) {
            assertThat(s).isNotNull();
            return s;
        }
        assertThat(s).as("no stamp where a later write could keep the same times").isNull();
        return BlankImageProof.stamp(image);
    }

    @Test
    void aFreshImageShowsItsStamp() throws IOException {
        Path image = dir.resolve("a.img");
        BlankImageProof.Stamp s = freshImage(image);
        assertThat(s.sizeBytes()).isEqualTo(SIZE);
        assertThat(BlankImageProof.holds(s, image)).isTrue();
        assertThat(BlankImageProof.holds(null, image)).isFalse();
    }

    @Test
    void dataAtTheStartTakesTheProofAway() throws IOException {
        assertWriteAtBreaksTheProof(0, new byte[]{'x'});
    }

    @Test
    void dataAtTheEndOfASparseImageTakesTheProofAway() throws IOException {
        assertWriteAtBreaksTheProof(SIZE - 1, new byte[]{'x'});
    }

    @Test
    void dataInTheMiddleTakesTheProofAwayEvenWhereNoProbeSamples() throws IOException {
        assertWriteAtBreaksTheProof(SIZE / 2 + 12345, new byte[]{'x'});
    }

    @Test
    void evenWrittenZerosTakeTheProofAway() throws IOException {
        assertWriteAtBreaksTheProof(4096, new byte[4096]);
    }

    /** Immediately after the stamp, within the same clock tick: multigrain timestamps still show the change. */
    @Test
    void aWriteRightAfterTheStampIsSeenEveryTime() throws IOException {
        for (int i = 0; i < 200; i++) {
            Path image = dir.resolve("r" + i + ".img");
            BlankImageProof.Stamp s = freshImage(image);
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.seek(SIZE - 4096);
                f.write(1);
            }
            if (BlankImageProof.timesAreExact(dir)) {
                assertThat(BlankImageProof.holds(s, image)).as("round %d", i).isFalse();
            }
            Files.delete(image);
        }
    }

    @Test
    void aReplacedOrResizedImageLosesTheProof() throws IOException {
        Path image = dir.resolve("a.img");
        BlankImageProof.Stamp s = freshImage(image);
        Path other = dir.resolve("b.img");
        try (RandomAccessFile f = new RandomAccessFile(other.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        Files.move(other, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(BlankImageProof.holds(s, image)).as("another (empty) file under the same name").isFalse();

        Path grown = dir.resolve("c.img");
        BlankImageProof.Stamp c = freshImage(grown);
        images.extend(grown, 2 * SIZE, CTX);
        assertThat(BlankImageProof.holds(c, grown)).isFalse();
        Files.delete(grown);
        assertThat(BlankImageProof.holds(c, grown)).as("a missing image proves nothing").isFalse();
    }

    @Test
    void aPartialFileLeftByAnEarlierAttemptIsNotReused() throws IOException {
        Path image = dir.resolve("a.img");
        Files.write(Images.partial(image), new byte[]{'o', 'l', 'd'});
        BlankImageProof.Stamp s = freshImage(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            byte[] start = new byte[3];
            f.readFully(start);
            assertThat(start).containsOnly(0);
        }
        assertThat(BlankImageProof.holds(s, image)).isTrue();
    }

    @Test
    void onlyKernelsWithMultigrainTimestampsQualify() {
        assertThat(BlankImageProof.multigrainKernel("Linux", "6.13.0")).isTrue();
        assertThat(BlankImageProof.multigrainKernel("Linux", "6.18.2-cloud-amd64")).isTrue();
        assertThat(BlankImageProof.multigrainKernel("Linux", "7.0")).isTrue();
        assertThat(BlankImageProof.multigrainKernel("Linux", "6.12.48+deb13-amd64")).isFalse();
        assertThat(BlankImageProof.multigrainKernel("Linux", "5.15.0-91-generic")).isFalse();
        assertThat(BlankImageProof.multigrainKernel("Linux", "garbage")).isFalse();
        assertThat(BlankImageProof.multigrainKernel("Mac OS X", "14.1")).isFalse();
    }

    private void assertWriteAtBreaksTheProof(long offset, byte[] data) throws IOException {
        Path image = dir.resolve("w.img");
        BlankImageProof.Stamp s = freshImage(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(data);
        }
        assertThat(BlankImageProof.holds(s, image)).isFalse();
    }
}
