package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.testing.Prerequisites;
import io.libstorage.testing.tck.StorageDriverContract;
import io.libstorage.testing.tck.TckTarget;

import java.nio.file.Path;

/** The storage-driver contract for the ScaleIO driver against the gateway emulator with real loop devices. */
class ScaleIoStorageConformanceIT extends StorageDriverContract {
    @Override
    protected TckTarget createTarget() {
        Prerequisites.requireLoopDevices();
        return new ScaleIoTarget();
    }

    static final class ScaleIoTarget implements TckTarget {
        final EmulatedScaleIo sio = new EmulatedScaleIo(true, "local", "tck-host-b");

        @Override
        public StorageDriver newDriver() {
            return sio.newDriver("local");
        }

        @Override
        public OSDriver newOsDriver() {
            throw new UnsupportedOperationException("the storage contract does not mount");
        }

        @Override
        public Path workDir() {
            return sio.dir();
        }

        @Override
        public long backendMutations() {
            return sio.mutations();
        }

        @Override
        public StorageDriver newDriverForHost(String hostName) {
            return sio.newDriver(hostName);
        }

        @Override
        public void killHost(String hostName) {
            sio.kill(hostName);
        }

        @Override
        public long volumeSizeBytes() {
            return ByteSizes.GIB;
        }

        @Override
        public void close() {
            sio.close();
        }
    }
}
