package io.libstorage.virtualbox;

import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.StorageDriverContract;
import io.libstorage.tck.TckTarget;

/**
 * The storage-driver contract for the VirtualBox driver against the web service emulator with real loop devices,
 * including the takeover from a powered-off VM and the refusal for a running one.
 */
class VirtualBoxStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new VirtualBoxTarget();
    }
}
