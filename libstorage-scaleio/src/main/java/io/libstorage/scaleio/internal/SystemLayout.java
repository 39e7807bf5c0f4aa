package io.libstorage.scaleio.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.scaleio.internal.GatewayModel.ProtectionDomainObj;
import io.libstorage.scaleio.internal.GatewayModel.StoragePoolObj;
import io.libstorage.scaleio.internal.GatewayModel.SystemObj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where this driver's volumes live: the system, protection domain and storage pool, chosen once at
 * start by id and/or name from the configuration; a missing or ambiguous one is a start-up error
 * naming the key and listing what the gateway holds.
 *
 * @param systemId the system
 * @param systemName its name, for the start-up log
 * @param protectionDomainId the protection domain of new volumes
 * @param protectionDomainName its name
 * @param storagePoolId the default storage pool of new volumes
 */
record SystemLayout(String systemId, String systemName, String protectionDomainId, String protectionDomainName, String storagePoolId) {
    private static final Logger LOG = LoggerFactory.getLogger(SystemLayout.class);

    static SystemLayout resolve(GatewayClient client, ScaleIoSettings settings, ErrorContext ctx) {
        List<SystemObj> systems = client.readList(ctx, GatewayVolumes.ok(ctx, client.get(ctx, "/api/types/System/instances")), SystemObj.class);
        SystemObj system = choose("system", "systemID", "systemName", settings.systemId(), settings.systemName(), "on the gateway",
                systems, SystemObj::id, SystemObj::name);
        List<ProtectionDomainObj> pds = client.readList(ctx, GatewayVolumes.ok(ctx,
                client.get(ctx, "/api/instances/System::" + system.id() + "/relationships/ProtectionDomain")), ProtectionDomainObj.class);
        ProtectionDomainObj pd = choose("protection domain", "protectionDomainID", "protectionDomainName", settings.protectionDomainId(),
                settings.protectionDomainName(), "in system " + system.id(), pds, ProtectionDomainObj::id, ProtectionDomainObj::name);
        String pool = choose("storage pool", "storagePoolID", "storagePoolName", settings.storagePoolId(), settings.storagePoolName(),
                "in protection domain " + pd.name(), poolsOf(client, pd.id(), ctx), StoragePoolObj::id, StoragePoolObj::name).id();
        return new SystemLayout(system.id(), system.name(), pd.id(), pd.name(), pool);
    }

    static List<StoragePoolObj> poolsOf(GatewayClient client, String pdId, ErrorContext ctx) {
        return client.readList(ctx, GatewayVolumes.ok(ctx,
                client.get(ctx, "/api/instances/ProtectionDomain::" + pdId + "/relationships/StoragePool")), StoragePoolObj.class);
    }

    /**
     * The object that {@code id} and {@code name} (keys {@code idKey}, {@code nameKey}) denote among {@code candidates}:
     * by id, and when a name is given too it must be that object's name; else the one object with that name; with
     * neither, the only candidate (REX-Ray users leave the system out when the gateway manages one). Anything else is a
     * configuration error naming the key and listing what {@code where} holds.
     */
    private static <T> T choose(String kind, String idKey, String nameKey, Optional<String> id, Optional<String> name, String where,
                                List<T> candidates, Function<T, String> idOf, Function<T, String> nameOf) {
        Function<T, String> shown = o -> (nameOf.apply(o) == null ? "(unnamed)" : nameOf.apply(o)) + " (" + idOf.apply(o) + ")";
        String inventory = candidates.isEmpty() ? "none" : candidates.stream().map(shown).collect(Collectors.joining(", "));
        if (id.isPresent()) {
            T found = candidates.stream().filter(o -> id.get().equalsIgnoreCase(idOf.apply(o))).findFirst()
                    .orElseThrow(() -> config(idKey, "no " + kind + " with id " + id.get() + " " + where + "; " + where + " there are: " + inventory));
            if (name.isPresent() && !name.get().equals(nameOf.apply(found))) {
                throw config(idKey, id.get() + " is the " + kind + " " + shown.apply(found) + ", but scaleio." + nameKey + " is '"
                        + name.get() + "'; give one of them, or two that name the same " + kind);
            }
            return found;
        }
        if (name.isPresent()) {
            List<T> named = candidates.stream().filter(o -> name.get().equals(nameOf.apply(o))).toList();
            if (named.size() > 1) {
                throw config(nameKey, named.size() + " " + kind + "s are named '" + name.get() + "' " + where + ": "
                        + named.stream().map(shown).collect(Collectors.joining(", ")) + "; set scaleio." + idKey + " instead");
            }
            if (named.isEmpty()) {
                throw config(nameKey, "no " + kind + " named '" + name.get() + "' " + where + "; " + where + " there are: " + inventory);
            }
            return named.get(0);
        }
        if (candidates.size() != 1) {
            throw config(nameKey, "not set, and " + (candidates.isEmpty() ? "there is no " + kind + " " + where
                    : "there are " + candidates.size() + " " + kind + "s " + where + ": " + inventory)
                    + "; set scaleio." + nameKey + " or scaleio." + idKey);
        }
        LOG.info("scaleio: neither scaleio.{} nor scaleio.{} is set; using the only {} {}: {}", idKey, nameKey, kind, where,
                shown.apply(candidates.get(0)));
        return candidates.get(0);
    }

    /** A start-up configuration error about {@code scaleio.<key>}. */
    static InvalidConfigurationException config(String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("connect", null, null, ScaleIoStorageDriver.NAME),
                ScaleIoSettings.SECTION + "." + key, problem);
    }
}
