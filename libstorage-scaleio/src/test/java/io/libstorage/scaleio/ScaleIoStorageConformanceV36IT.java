package io.libstorage.scaleio;

import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.StorageDriverContract;
import io.libstorage.tck.TckTarget;

/** The storage-driver contract against a PowerFlex 3.6 gateway (the bearer login answered {@code {}}, then Basic). */
class ScaleIoStorageConformanceV36IT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new ScaleIoTarget("3.6");
    }
}
