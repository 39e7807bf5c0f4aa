package io.libstorage.tck;

import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a ready {@link LibStorage} over the in-memory drivers, the way jimfs gives a test a
 * file system. Parameters of type {@link LibStorage} receive the instance of host {@code host-1};
 * parameters of type {@link InMemoryCluster} receive its cluster (to add hosts with
 * {@link InMemoryLibStorage#onHost}, inject faults and count calls). Everything is fresh
 * for each test and removed after it.
 *
 * <pre>{@code
 * @ExtendWith(LibStorageExtension.class)
 * class MyServiceTest {
 *     @Test
 *     void keepsDataAcrossRemounts(LibStorage storage, InMemoryCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class LibStorageExtension implements ParameterResolver, AfterEachCallback {
    /** The host id of the injected {@link LibStorage}. */
    public static final String DEFAULT_HOST = "host-1";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LibStorageExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LibStorage.class || type == InMemoryCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        InMemoryCluster cluster = cluster(context);
        if (parameter.getParameter().getType() == InMemoryCluster.class) {
            return cluster;
        }
        return context.getStore(NS).getOrComputeIfAbsent("libstorage",
                k -> InMemoryLibStorage.onHost(cluster, DEFAULT_HOST), LibStorage.class);
    }

    private static InMemoryCluster cluster(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("cluster", k -> InMemoryCluster.create(), InMemoryCluster.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        InMemoryCluster cluster = context.getStore(NS).remove("cluster", InMemoryCluster.class);
        context.getStore(NS).remove("libstorage", LibStorage.class);
        if (cluster != null) {
            cluster.close();
        }
    }
}
