package io.libstorage.core.internal.linux;

import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.ProcessResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlkidProbeTest {
    private static final Path DEV = Path.of("/dev/loop9");
    private static final ErrorContext CTX = ErrorContext.of("mount", "v1", "host-a", "localfs");

    private static ProcessResult blkid(int exit, String stdout, String stderr) {
        return new ProcessResult(BlkidProbe.command(DEV), exit, stdout, stderr, Duration.ofMillis(3));
    }

    @Test
    void readsFilesystemTypeAndUsage() {
        ProbeResult r = BlkidProbe.interpret(blkid(0, "DEVNAME=/dev/loop9\nUUID=520d\nVERSION=1.0\nTYPE=ext2\nUSAGE=filesystem\n", ""),
                true, DEV, CTX);
        assertThat(r).isEqualTo(new ProbeResult.Signature("ext2", "filesystem"));
        assertThat(((ProbeResult.Signature) r).isFilesystem()).isTrue();
    }

    @Test
    void readsPartitionTablesLuksAndLvm() {
        assertThat(BlkidProbe.interpret(blkid(0, "DEVNAME=x\nPTUUID=d1bc2e97\nPTTYPE=dos\n", ""), true, DEV, CTX))
                .isEqualTo(new ProbeResult.Signature("dos", "partition table"));
        assertThat(BlkidProbe.interpret(blkid(0, "VERSION=1\nTYPE=crypto_LUKS\nUSAGE=crypto\n", ""), true, DEV, CTX))
                .isEqualTo(new ProbeResult.Signature("crypto_LUKS", "crypto"));
        assertThat(BlkidProbe.interpret(blkid(0, "UUID=x\nTYPE=LVM2_member\nUSAGE=raid\n", ""), true, DEV, CTX))
                .isEqualTo(new ProbeResult.Signature("LVM2_member", "raid"));
    }

    @Test
    void nothingFoundIsBlankOnlyWhenOurOwnReadsAreZeros() {
        assertThat(BlkidProbe.interpret(blkid(2, "", ""), true, DEV, CTX)).isEqualTo(ProbeResult.blank());
        assertThat(BlkidProbe.interpret(blkid(2, "", ""), false, DEV, CTX))
                .isEqualTo(new ProbeResult.Signature("data", "non-zero data"));
    }

    @Test
    void ambivalentIsASignature() {
        assertThat(BlkidProbe.interpret(blkid(8, "", ""), true, DEV, CTX)).isInstanceOf(ProbeResult.Signature.class);
    }

    @Test
    void anyOtherExitIsAnIoErrorWithTheDecodedStderr() {
        assertThatThrownBy(() -> BlkidProbe.interpret(blkid(4, "", "blkid: error: /dev/loop9: Input/output error"), true, DEV, CTX))
                .isInstanceOf(DeviceIOException.class)
                .hasMessageContaining("Input/output error")
                .hasMessageContaining("blkid -p -o export /dev/loop9")
                .hasMessageContaining("volume=v1").hasMessageContaining("host=host-a").hasMessageContaining("backend=localfs");
    }

    @Test
    void somethingUnnamedIsStillNotBlank() {
        assertThat(BlkidProbe.interpret(blkid(0, "DEVNAME=/dev/loop9\n", ""), true, DEV, CTX)).isInstanceOf(ProbeResult.Signature.class);
    }

    @Test
    void unescapesValues() {
        assertThat(BlkidProbe.parseExport("LABEL=my\\ label\nTYPE=ext4\n")).containsEntry("LABEL", "my label");
        assertThat(BlkidProbe.command(DEV)).isEqualTo(List.of("blkid", "-p", "-o", "export", "/dev/loop9"));
    }
}
