package io.libstorage.virtualbox;

import io.libstorage.tck.IntegrationContract;
import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.TckTarget;

/**
 * The integration contract over the VirtualBox driver, the emulator's real loop devices behind
 * {@code ata-VBOX_HARDDISK_VB…} links and the Linux OS driver (ext4 and xfs), with seeded crash-and-recover runs.
 */
class VirtualBoxIntegrationConformanceIT extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mkfs.xfs", "blkid");
        return new VirtualBoxTarget();
    }
}
