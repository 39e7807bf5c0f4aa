package io.libstorage.localfs.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.StorageException;
import io.libstorage.spi.HostSide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * localfs on this host: the identity, and the loop device of an attachment, resolved from the
 * kernel (the token is the volume id; the device is the loop device whose backing file is the
 * volume's image). Read-only and idempotent; spawns nothing.
 *
 * <p>It proves a device blank ({@link #provesBlank}) when the device is the loop device of an image this driver made
 * empty and nothing has written to since ({@link BlankImageProof}).
 */
final class LocalFsHostSide implements HostSide {
    private final HostId host;
    private final Layout layout;
    private final LoopDevices loops;
    private final MetadataStore store;

    LocalFsHostSide(HostId host, Layout layout, LoopDevices loops, MetadataStore store) {
        this.host = host;
        this.layout = layout;
        this.loops = loops;
        this.store = store;
    }

    /**
     * Whether {@code device} is, right now, the loop device of this attachment's image, that image still shows the
     * blank stamp its record kept since this driver made it, and flushing the device first (so that what was written
     * to it reaches the image and its times) changed nothing. Anything unreadable or unexpected answers no.
     */
    @Override
    public boolean provesBlank(Attachment attachment, Path device) {
        String id = attachment.deviceToken();
        if (!attachment.hostId().equals(host) || !Layout.isVolumeId(id)) {
            return false;
        }
        ErrorContext ctx = ErrorContext.of("prove blank", id, host.value(), LocalFsStorageDriver.NAME);
        try {
            Optional<BlankImageProof.Stamp> stamp = store.volume(id, ctx).map(Records.VolumeRecord::blankImage);
            Path image = layout.volumeImage(id);
            if (stamp.isEmpty() || loops.backedBy(image).stream().noneMatch(l -> l.device().equals(device))) {
                return false;
            }
            Images.flushDevice(device, ctx);
            return BlankImageProof.holds(stamp.get(), image);
        } catch (StorageException e) {
            return false;
        }
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
