package io.libstorage.localfs;

import io.libstorage.tck.IntegrationContract;
import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.TckTarget;

import java.util.List;

/**
 * The integration contract over localfs and the Linux OS driver, with real loop devices, mkfs and
 * mount(8), on ext4 and xfs, including 1000 seeded crash-and-recover runs against real devices
 * ({@code -Dlibstorage.tck.crashRuns.localfs=N} to change the count).
 */
class LocalFsIntegrationConformanceIT extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mkfs.xfs", "blkid");
        return new LocalFsTarget(List.of("ext4", "xfs"));
    }
}
