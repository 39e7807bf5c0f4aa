package io.libstorage.localfs;

import io.libstorage.api.VolumeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up reconcile of what needs no loop device: interrupted work and orphans. */
class RootReconcileTest {
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new LocalFsFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void finishesInterruptedWorkAndReportsOrphans() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", "h"));
        var kept = d.create("kept", VolumeSpec.builder().sizeBytes(1 << 20).build());
        var removing = d.create("removing", VolumeSpec.builder().sizeBytes(1 << 20).build());
        var noImage = d.create("no-image", VolumeSpec.builder().sizeBytes(1 << 20).build());
        Path volumes = fx.root.resolve("volumes");
        // a remove interrupted after moving the image to trash
        Files.createDirectories(fx.root.resolve("trash"));
        Files.move(volumes.resolve(removing.id() + ".img"), fx.root.resolve("trash").resolve(removing.id() + ".img"));
        // a create interrupted while writing the image
        Files.write(volumes.resolve("lfs-00000000-0000-0000-0000-000000000001.img.partial"), new byte[10]);
        // an image nobody knows, and metadata whose image is gone
        Files.write(volumes.resolve("lfs-00000000-0000-0000-0000-000000000002.img"), new byte[10]);
        Files.delete(volumes.resolve(noImage.id() + ".img"));

        LocalFsReport report = fx.driver(Map.of("hostId", "h")).startupReport();
        assertThat(report.repaired()).anySatisfy(s -> assertThat(s).contains("interrupted removal of " + removing.id().value()))
                .anySatisfy(s -> assertThat(s).contains("half-written").contains("000000000001.img.partial"));
        assertThat(report.orphans()).anySatisfy(s -> assertThat(s).startsWith("image without metadata").contains("000000000002.img"))
                .anySatisfy(s -> assertThat(s).startsWith("metadata without an image").contains(noImage.id().value()));
        assertThat(report.orphans()).hasSize(2);
        assertThat(d.findByName("removing")).isEmpty();
        assertThat(d.findByName("kept").orElseThrow().id()).isEqualTo(kept.id());

        LocalFsReport second = fx.driver(Map.of("hostId", "h")).reconcileRoot();
        assertThat(second.repaired()).isEmpty();
        assertThat(second.orphans()).hasSize(2);
    }
}
