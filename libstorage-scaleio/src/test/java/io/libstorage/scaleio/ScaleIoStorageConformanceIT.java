package io.libstorage.scaleio;

import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.StorageDriverContract;
import io.libstorage.tck.TckTarget;


/** The storage-driver contract for the ScaleIO driver against the gateway emulator with real loop devices. */
class ScaleIoStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new ScaleIoTarget();
    }
}
