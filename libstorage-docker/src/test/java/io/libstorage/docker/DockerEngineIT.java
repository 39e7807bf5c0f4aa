package io.libstorage.docker;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.InMemoryLibStorage;

/**
 * {@link DockerEngineContract} over the in-memory drivers: the simulated OS makes each mount point a
 * symbolic link to the volume's data directory, so a container's bind mount sees the volume's files;
 * the cluster counts every OS mount and unmount.
 */
class DockerEngineIT extends DockerEngineContract {
    private InMemoryCluster cluster;

    @Override
    protected void prepare() {
        cluster = InMemoryCluster.create();
    }

    @Override
    protected LibStorage newLibStorage() {
        return InMemoryLibStorage.onHost(cluster, "host-1");
    }

    @Override
    protected String scope() {
        return "global";
    }

    @Override
    protected long osMounts() {
        return cluster.calls().count(OsOp.MOUNT);
    }

    @Override
    protected long osUnmounts() {
        return cluster.calls().count(OsOp.UNMOUNT);
    }

    @Override
    protected boolean nothingMounted() {
        return cluster.mountsOf("host-1").isEmpty();
    }

    @Override
    protected void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
