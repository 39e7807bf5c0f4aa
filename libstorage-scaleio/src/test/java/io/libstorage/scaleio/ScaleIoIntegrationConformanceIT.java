package io.libstorage.scaleio;

import io.libstorage.tck.IntegrationContract;
import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.TckTarget;

/**
 * The integration contract over the ScaleIO driver, the gateway emulator's real loop devices and the
 * Linux OS driver (ext4 and xfs), including the seeded crash-and-recover runs.
 */
class ScaleIoIntegrationConformanceIT extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mkfs.xfs", "blkid");
        return new ScaleIoTarget();
    }
}
