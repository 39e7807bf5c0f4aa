package io.libstorage.core.internal.integration;

import io.libstorage.api.Attachment;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.StorageDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Grows a volume: the storage first ({@link StorageDriver#grow}), then its filesystem on this host
 * through the OS driver, online where the device is mounted and offline where it is attached and not
 * mounted (the caller holds the volume's lock, so no mount of this library starts meanwhile). The
 * filesystem of a volume attached elsewhere, or nowhere, is not touched; a grow repeated where it is
 * attached grows it (the storage grow is then a no-op).
 */
final class VolumeGrowth {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeGrowth.class);

    private final StorageDriver storage;
    private final OSDriver os;
    private final VolumeSteps steps;

    VolumeGrowth(StorageDriver storage, OSDriver os, VolumeSteps steps) {
        this.storage = storage;
        this.os = os;
        this.steps = steps;
    }

    GrownVolume grow(Volume volume, long newSizeBytes, ErrorContext ctx) {
        Volume grown = storage.grow(volume.id(), newSizeBytes);
        Optional<Attachment> here = grown.attachmentTo(steps.localHost());
        if (here.isEmpty()) {
            LOG.info("grew volume '{}' to {} bytes; it is not attached to this host, so its filesystem was not grown [{}]",
                    volume.name(), grown.allocatedSizeBytes(), ctx.describe());
            return new GrownVolume(grown, GrownVolume.Filesystem.NOT_ATTACHED_HERE);
        }
        Path device = steps.awaitDevice(here.get(), ctx);
        try {
            List<MountEntry> mounts = steps.mountsOf(device, ctx);
            if (!mounts.isEmpty()) {
                MountEntry m = mounts.get(0);
                os.growFilesystem(ctx, device, m.mountPoint(), m.fsType());
                return new GrownVolume(grown, GrownVolume.Filesystem.GROWN_MOUNTED);
            }
            if (os.probe(ctx, device) instanceof ProbeResult.Signature s && s.isFilesystem()) {
                os.growFilesystem(ctx, device, null, s.type());
                return new GrownVolume(grown, GrownVolume.Filesystem.GROWN_UNMOUNTED);
            }
            return new GrownVolume(grown, GrownVolume.Filesystem.NONE_ON_DEVICE);
        } catch (StorageException e) {
            throw new OperationFailedException(ctx, "the volume grew to " + grown.allocatedSizeBytes()
                    + " bytes, but its filesystem did not: " + e.detail(), e);
        }
    }
}
