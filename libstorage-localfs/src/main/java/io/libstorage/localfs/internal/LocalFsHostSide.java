package io.libstorage.localfs.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.HostId;
import io.libstorage.spi.HostSide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * localfs on this host: the identity, and the loop device of an attachment, resolved from the
 * kernel (the token is the volume id; the device is the loop device whose backing file is the
 * volume's image). Read-only and idempotent; spawns nothing.
 */
final class LocalFsHostSide implements HostSide {
    private final HostId host;
    private final Layout layout;
    private final LoopDevices loops;

    LocalFsHostSide(HostId host, Layout layout, LoopDevices loops) {
        this.host = host;
        this.layout = layout;
        this.loops = loops;
    }

    @Override
    public HostId localHost() {
        return host;
    }

    @Override
    public Optional<Path> findDevice(Attachment attachment) {
        if (!attachment.hostId().equals(host) || !Layout.isVolumeId(attachment.deviceToken())) {
            return Optional.empty();
        }
        return loops.backedBy(layout.volumeImage(attachment.deviceToken())).stream()
                .map(LoopDevices.Loop::device)
                .filter(Files::exists)
                .findFirst();
    }

    @Override
    public List<String> searchedLocations(Attachment attachment) {
        String image = Layout.isVolumeId(attachment.deviceToken())
                ? layout.volumeImage(attachment.deviceToken()).toString() : "(token '" + attachment.deviceToken() + "' is not a localfs volume id)";
        return List.of("/sys/block/loop*/loop/backing_file = " + image, "/dev/loopN of that device");
    }
}
