package io.libstorage.scaleio;

import io.libstorage.testing.Prerequisites;
import io.libstorage.testing.tck.StorageDriverContract;
import io.libstorage.testing.tck.TckTarget;


/** The storage-driver contract for the ScaleIO driver against the gateway emulator with real loop devices. */
class ScaleIoStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new ScaleIoTarget();
    }
}
