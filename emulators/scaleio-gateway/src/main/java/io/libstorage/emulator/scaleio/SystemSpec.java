package io.libstorage.emulator.scaleio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A system (MDM cluster) to create at start, with its protection domains and storage pools.
 *
 * @param name              the system name, or null for an unnamed system (the gateway then shows {@code "name": null},
 *                          as it does for a system installed without one)
 * @param id                a fixed 16-hex-digit id, or null for a generated one
 * @param protectionDomains the protection domains with their storage pools
 */
public record SystemSpec(@Nullable String name, @Nullable String id, List<ProtectionDomainSpec> protectionDomains) {
    public SystemSpec {
        protectionDomains = List.copyOf(protectionDomains);
    }

    /** A system without protection domains. */
    public static SystemSpec named(String name) {
        return new SystemSpec(name, null, List.of());
    }

    /** A system without a name (and without protection domains). */
    public static SystemSpec unnamed() {
        return new SystemSpec(null, null, List.of());
    }

    /** The default seed: system {@code cluster1}, protection domain {@code pd1}, storage pool {@code pool1}. */
    public static SystemSpec defaultSystem() {
        return named("cluster1").withProtectionDomain("pd1", "pool1");
    }

    public SystemSpec withId(@Nullable String fixedId) {
        return new SystemSpec(name, fixedId, protectionDomains);
    }

    public SystemSpec withProtectionDomain(String domainName, String... storagePools) {
        List<ProtectionDomainSpec> list = new ArrayList<>(protectionDomains);
        list.add(new ProtectionDomainSpec(domainName, List.of(storagePools)));
        return new SystemSpec(name, id, list);
    }

    /**
     * A protection domain and the names of its storage pools (unique within the domain only).
     *
     * @param name         the protection domain name
     * @param storagePools the storage pool names
     */
    public record ProtectionDomainSpec(String name, List<String> storagePools) {
        public ProtectionDomainSpec {
            Objects.requireNonNull(name, "name");
            storagePools = List.copyOf(storagePools);
        }
    }
}
