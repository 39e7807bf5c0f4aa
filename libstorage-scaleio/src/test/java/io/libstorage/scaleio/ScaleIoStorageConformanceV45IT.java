package io.libstorage.scaleio;

import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.StorageDriverContract;
import io.libstorage.tck.TckTarget;

/** The storage-driver contract against a PowerFlex 4.5 gateway (bearer tokens, HTML 401s, errorCode 79, an NVMe host). */
class ScaleIoStorageConformanceV45IT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new ScaleIoTarget("4.5");
    }
}
