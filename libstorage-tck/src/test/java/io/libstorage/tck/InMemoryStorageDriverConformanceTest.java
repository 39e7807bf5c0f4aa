package io.libstorage.tck;

import io.libstorage.api.VolumeId;

import java.util.Optional;

class InMemoryStorageDriverConformanceTest extends StorageDriverContract {
    private InMemoryTarget memory;

    @Override
    protected TckTarget createTarget() {
        memory = new InMemoryTarget();
        return memory;
    }

    @Override
    protected Optional<VolumeId> duplicateName(String volumeName) {
        memory.cluster.storageDriver("local").create(volumeName, spec());
        return Optional.of(memory.cluster.addDuplicateVolume(volumeName, spec().sizeBytes()));
    }
}
