package io.libstorage.virtualbox.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.MountEntry;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.spi.HostDevices;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A detach pulls the disk from under whatever uses it, so one this guest has mounted is refused (the OS layer answers
 * through {@link HostDevices}). Only this guest can be seen: the web service cannot tell what other VMs use.
 */
final class MountedHere {
    private final VboxHostSide hostSide;
    private final HostDevices devices;

    MountedHere(VboxHostSide hostSide, HostDevices devices) {
        this.hostSide = hostSide;
        this.devices = devices;
    }

    void refuse(HostId host, String mediumId, ErrorContext ctx) {
        if (!host.equals(hostSide.localHost())) {
            return;
        }
        Attachment here = new Attachment(new VolumeId(mediumId), host, mediumId, AttachmentState.ATTACHED, null);
        Optional<Path> device = hostSide.findDevice(here);
        Optional<String> number = device.flatMap(d -> devices.deviceNumber(ctx, d));
        if (number.isEmpty()) {
            return;
        }
        List<Path> at = devices.mountsOf(ctx, number.get()).stream().map(MountEntry::mountPoint).toList();
        if (!at.isEmpty()) {
            throw new VolumeInUseException(ctx, "its disk " + device.get() + " is mounted in this guest at " + at
                    + "; unmount it first (a disk is never detached from under a mounted filesystem)");
        }
    }
}
