package io.libstorage.scaleio;

import io.libstorage.tck.IntegrationContract;
import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.TckTarget;

/** The integration contract as {@link ScaleIoIntegrationConformanceIT}, against a PowerFlex 4.5 gateway (bearer tokens). */
class ScaleIoIntegrationConformanceV45IT extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mkfs.xfs", "blkid");
        return new ScaleIoTarget("4.5");
    }
}
