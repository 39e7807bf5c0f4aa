package io.libstorage.localfs;

import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.StorageDriverContract;
import io.libstorage.tck.TckTarget;

import java.util.List;

/** The storage-driver contract for localfs with real images and loop devices (root). */
class LocalFsStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new LocalFsTarget(List.of("ext4"));
    }
}
