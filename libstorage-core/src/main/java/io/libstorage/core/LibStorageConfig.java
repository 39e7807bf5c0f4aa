package io.libstorage.core;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.core.internal.config.ConfigTree;
import io.libstorage.core.internal.config.YamlReader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration in REX-Ray's {@code config.yml} shape, read but not yet validated against the
 * drivers (that happens in {@link LibStorage.Builder#build()}, which names any unknown,
 * missing or contradictory key).
 *
 * <pre>
 * libstorage:
 *   service: scaleio                    # the storage driver
 *   stateRoot: /var/lib/libstorage      # this host's durable state
 *   integration:
 *     volume:
 *       operations:
 *         mount:
 *           preemptionPolicy: IF_OWNER_UNREACHABLE
 * scaleio:                              # the driver's own section
 *   endpoint: https://gateway/api
 * </pre>
 *
 * A driver's section may also sit where REX-Ray put it, {@code libstorage.server.<driver>} or
 * {@code libstorage.server.services.<service>.<driver>}; the more specific place wins, as in
 * REX-Ray's inherited properties. Within one place a key given twice (in any case, or once dotted
 * and once nested) is an error naming both lines. Errors about the file name it and a position,
 * never a line of it. Immutable.
 */
public final class LibStorageConfig {
    private static final Set<String> IGNORED_TOP_LEVEL = Set.of("rexray");

    private final Map<String, Object> libstorage;
    private final Map<String, Map<String, Object>> driverSections;
    private final Map<String, Object> rexray;

    private LibStorageConfig(Map<String, Object> libstorage, Map<String, Map<String, Object>> driverSections,
                             Map<String, Object> rexray) {
        this.libstorage = libstorage;
        this.driverSections = driverSections;
        this.rexray = rexray;
    }

    /** Reads a YAML file. */
    public static LibStorageConfig load(Path yamlFile) {
        return of(YamlReader.readFile(yamlFile));
    }

    /** Reads YAML text. */
    public static LibStorageConfig parse(String yaml) {
        return of(YamlReader.readString(yaml, "<text>"));
    }

    /** An empty configuration (everything from the builder and defaults). */
    public static LibStorageConfig empty() {
        return of(Map.of());
    }

    /** A configuration from a nested map as YAML would produce it. */
    public static LibStorageConfig of(Map<String, ?> tree) {
        Map<String, Object> libstorage = new LinkedHashMap<>();
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        Map<String, Object> rexray = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : tree.entrySet()) {
            String key = e.getKey();
            if (key.equalsIgnoreCase("libstorage")) {
                libstorage.putAll(ConfigTree.asMap(e.getValue(), "libstorage"));
            } else if (IGNORED_TOP_LEVEL.contains(key.toLowerCase(Locale.ROOT))) {
                rexray.putAll(ConfigTree.flatten(ConfigTree.asMap(e.getValue(), key), ""));
            } else {
                mergeSection(sections, key.toLowerCase(Locale.ROOT), ConfigTree.asMap(e.getValue(), key));
            }
        }
        // REX-Ray's server scopes: libstorage.server.<driver> and libstorage.server.services.<svc>.<driver>
        Object server = removeIgnoreCase(libstorage, "server");
        String service = Optional.ofNullable(getIgnoreCase(libstorage, "service")).map(String::valueOf).orElse(null);
        if (server != null) {
            Map<String, Object> serverMap = new LinkedHashMap<>(ConfigTree.asMap(server, "libstorage.server"));
            Object services = removeIgnoreCase(serverMap, "services");
            for (Map.Entry<String, Object> e : serverMap.entrySet()) {
                mergeSection(sections, e.getKey().toLowerCase(Locale.ROOT), ConfigTree.asMap(e.getValue(), "libstorage.server." + e.getKey()));
            }
            if (services != null) {
                Map<String, Object> svcs = ConfigTree.asMap(services, "libstorage.server.services");
                for (Map.Entry<String, Object> svc : svcs.entrySet()) {
                    if (service != null && !svc.getKey().equalsIgnoreCase(service) && svcs.size() > 1) {
                        continue;
                    }
                    Map<String, Object> svcMap = new LinkedHashMap<>(ConfigTree.asMap(svc.getValue(), "libstorage.server.services." + svc.getKey()));
                    Object driver = removeIgnoreCase(svcMap, "driver");
                    String driverName = driver == null ? svc.getKey() : String.valueOf(driver);
                    if (service == null || svcs.size() == 1) {
                        libstorage.putIfAbsent("service", driverName);
                    } else if (svc.getKey().equalsIgnoreCase(service)) {
                        libstorage.put("service", driverName);
                    }
                    for (Map.Entry<String, Object> inner : svcMap.entrySet()) {
                        if (!inner.getKey().equalsIgnoreCase(driverName)) {
                            throw new InvalidConfigurationException(ErrorContext.of("load configuration"),
                                    "libstorage.server.services." + svc.getKey() + "." + inner.getKey(),
                                    "unknown key; a service holds 'driver' and a section named after its driver");
                        }
                        mergeSection(sections, driverName.toLowerCase(Locale.ROOT),
                                ConfigTree.asMap(inner.getValue(), "libstorage.server.services." + svc.getKey() + "." + inner.getKey()));
                    }
                }
            }
        }
        return new LibStorageConfig(ConfigTree.flatten(libstorage, ""), sections, rexray);
    }

    private static void mergeSection(Map<String, Map<String, Object>> sections, String name, Map<String, Object> section) {
        sections.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(ConfigTree.flatten(section, ""));
    }

    private static Object removeIgnoreCase(Map<String, Object> map, String key) {
        for (String k : map.keySet()) {
            if (k.equalsIgnoreCase(key)) {
                return map.remove(k);
            }
        }
        return null;
    }

    private static Object getIgnoreCase(Map<String, Object> map, String key) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The {@code libstorage} section, flattened to dotted keys ({@code integration.volume.operations.mount.preempt}). */
    public Map<String, Object> libstorageSection() {
        return Map.copyOf(libstorage);
    }

    /** Every driver section by lower-case driver name, flattened. */
    public Map<String, Map<String, Object>> driverSections() {
        return Map.copyOf(driverSections);
    }

    /** The section of one driver, flattened; empty when absent. */
    public Map<String, Object> driverSection(String driverName) {
        return driverSections.getOrDefault(driverName.toLowerCase(Locale.ROOT), Map.of());
    }

    /** The REX-Ray {@code rexray} section (only its {@code logLevel} has a meaning: the CLI's log level). */
    public Map<String, Object> rexraySection() {
        return Map.copyOf(rexray);
    }
}
