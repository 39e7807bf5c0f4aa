package io.libstorage.localfs.internal;

import io.libstorage.api.HostId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostIdentityTest {
    @Test
    void configuredBeatsMachineIdBeatsHostName(@TempDir Path dir) throws Exception {
        Path machineId = Files.writeString(dir.resolve("machine-id"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        Path hostname = Files.writeString(dir.resolve("hostname"), "node-7\n");
        assertThat(HostIdentity.resolve(Optional.of("override"), machineId, hostname)).isEqualTo(HostId.of("override"));
        assertThat(HostIdentity.resolve(Optional.empty(), machineId, hostname)).isEqualTo(HostId.of("3d1219c7c4c5404aaa1f6d2a48adfda4"));
        assertThat(HostIdentity.resolve(Optional.empty(), dir.resolve("missing"), hostname)).isEqualTo(HostId.of("node-7"));
        Files.writeString(machineId, "\n");
        assertThat(HostIdentity.resolve(Optional.empty(), machineId, hostname)).isEqualTo(HostId.of("node-7"));
    }

    @Test
    void idsAreValidatedBeforeTheyBecomePaths() {
        Layout layout = new Layout(Path.of("/r"));
        String id = Layout.newVolumeId();
        assertThat(layout.volumeImage(id)).isEqualTo(Path.of("/r/volumes/" + id + ".img"));
        assertThat(Layout.isVolumeId(Layout.newSnapshotId())).isFalse();
        assertThat(layout.volumeIdOfImage(Path.of("/r/volumes/" + id + ".img"))).contains(id);
        assertThat(layout.volumeIdOfImage(Path.of("/r/snapshots/" + id + ".img"))).isEmpty();
        assertThatThrownBy(() -> layout.volumeImage("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.snapshotImage(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
