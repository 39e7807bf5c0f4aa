package io.libstorage.core;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.spi.IntegrationDriverProvider;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.StorageDriverProvider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The drivers found with {@link ServiceLoader} on the module path or the class path (plus any wired
 * explicitly with {@link #withStorageDrivers}/{@link #withOsDrivers}), by name.
 * Two providers with one name are an error naming both classes; asking for an unknown name is an
 * error listing the available ones. Creating the catalog instantiates only the small provider
 * objects, never a driver.
 */
public final class DriverCatalog {
    private final Map<String, StorageDriverProvider> storage;
    private final Map<String, OSDriverProvider> os;
    private final Map<String, IntegrationDriverProvider> integration;

    private DriverCatalog(Map<String, StorageDriverProvider> storage, Map<String, OSDriverProvider> os,
                          Map<String, IntegrationDriverProvider> integration) {
        this.storage = storage;
        this.os = os;
        this.integration = integration;
    }

    /** The providers visible to this module (module path) or to the thread's context class loader (class path). */
    public static DriverCatalog load() {
        ClassLoader cl = DriverCatalog.class.getModule().isNamed() ? null : Thread.currentThread().getContextClassLoader();
        return new DriverCatalog(
                index(cl == null ? ServiceLoader.load(StorageDriverProvider.class) : ServiceLoader.load(StorageDriverProvider.class, cl),
                        StorageDriverProvider::name, "storage"),
                index(cl == null ? ServiceLoader.load(OSDriverProvider.class) : ServiceLoader.load(OSDriverProvider.class, cl),
                        OSDriverProvider::name, "OS"),
                index(cl == null ? ServiceLoader.load(IntegrationDriverProvider.class) : ServiceLoader.load(IntegrationDriverProvider.class, cl),
                        IntegrationDriverProvider::name, "integration"));
    }

    /** A catalog of exactly these providers (for tests and for embedding without service files). */
    public static DriverCatalog of(List<StorageDriverProvider> storage, List<OSDriverProvider> os,
                                   List<IntegrationDriverProvider> integration) {
        return new DriverCatalog(index(storage, StorageDriverProvider::name, "storage"),
                index(os, OSDriverProvider::name, "OS"), index(integration, IntegrationDriverProvider::name, "integration"));
    }

    /**
     * This catalog plus storage drivers wired explicitly (an in-memory cluster's, a test double); a name this
     * catalog already has is an error naming both classes. This catalog is unchanged.
     */
    public DriverCatalog withStorageDrivers(StorageDriverProvider... providers) {
        return new DriverCatalog(index(concat(storage.values(), providers), StorageDriverProvider::name, "storage"), os, integration);
    }

    /** This catalog plus OS drivers wired explicitly; as {@link #withStorageDrivers}. */
    public DriverCatalog withOsDrivers(OSDriverProvider... providers) {
        return new DriverCatalog(storage, index(concat(os.values(), providers), OSDriverProvider::name, "OS"), integration);
    }

    private static <P> List<P> concat(Collection<P> present, P[] added) {
        List<P> all = new ArrayList<>(present);
        all.addAll(List.of(added));
        return all;
    }

    private static <P> Map<String, P> index(Iterable<P> providers, Function<P, String> name, String kind) {
        Map<String, P> out = new TreeMap<>();
        for (P p : providers) {
            P previous = out.put(name.apply(p), p);
            if (previous != null) {
                throw new InvalidConfigurationException(ErrorContext.of("load drivers"), name.apply(p),
                        "two " + kind + " driver providers have this name: " + previous.getClass().getName()
                                + " and " + p.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(out));
    }

    public Map<String, StorageDriverProvider> storageDrivers() {
        return storage;
    }

    public Map<String, OSDriverProvider> osDrivers() {
        return os;
    }

    public Map<String, IntegrationDriverProvider> integrationDrivers() {
        return integration;
    }

    public StorageDriverProvider storageDriver(String name) {
        return find(storage, name, "storage", "libstorage.service");
    }

    public OSDriverProvider osDriver(String name) {
        return find(os, name, "OS", "libstorage.os.driver");
    }

    public IntegrationDriverProvider integrationDriver(String name) {
        return find(integration, name, "integration", "libstorage.integration.driver");
    }

    /**
     * Prints every driver found, one per line ({@code <kind> <name> <module> - <description>}), so
     * that an installation can be checked from the command line on the module path or the class path:
     * {@code java -m io.libstorage.core/io.libstorage.core.DriverCatalog}.
     */
    public static void main(String[] args) {
        DriverCatalog c = load();
        c.storage.forEach((n, p) -> System.out.println("storage " + n + " " + moduleOf(p) + " - " + p.description()));
        c.os.forEach((n, p) -> System.out.println("os " + n + " " + moduleOf(p) + " - " + p.description()));
        c.integration.forEach((n, p) -> System.out.println("integration " + n + " " + moduleOf(p) + " - " + p.description()));
    }

    private static String moduleOf(Object provider) {
        Module m = provider.getClass().getModule();
        return m.isNamed() ? m.getName() : "(class path)";
    }

    private static <P> P find(Map<String, P> providers, String name, String kind, String key) {
        P p = providers.get(name);
        if (p == null) {
            throw new InvalidConfigurationException(ErrorContext.of("load drivers", null, null, name), key,
                    "no " + kind + " driver named '" + name + "'; available: " + providers.keySet());
        }
        return p;
    }
}
