package io.libstorage.localfs;

import io.libstorage.testing.Prerequisites;
import io.libstorage.testing.tck.StorageDriverContract;
import io.libstorage.testing.tck.TckTarget;

import java.util.List;

/** The storage-driver contract for localfs with real images and loop devices (root). */
class LocalFsStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new LocalFsTarget(List.of("ext4"));
    }
}
