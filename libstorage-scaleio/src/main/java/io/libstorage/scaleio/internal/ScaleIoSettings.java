package io.libstorage.scaleio.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.Secret;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scaleio:} section, in REX-Ray's key names (endpoint, insecure, userName, password,
 * systemID/systemName, protectionDomainID/Name, storagePoolID/Name, thinOrThick, guid, drvCfg, version)
 * plus the settings this driver adds (caCertificate, deviceDir, timeouts, grace period, stateDir).
 */
record ScaleIoSettings(URI endpoint, boolean insecure, Optional<Path> caCertificate, String userName, Secret password,
                       Optional<String> systemId, Optional<String> systemName,
                       Optional<String> protectionDomainId, Optional<String> protectionDomainName,
                       Optional<String> storagePoolId, Optional<String> storagePoolName,
                       String thinOrThick, Optional<String> guid, Path drvCfg, Path deviceDir,
                       Optional<String> forcedApiVersion, Duration connectTimeout, Duration requestTimeout,
                       int attempts, Duration ownerGracePeriod, Duration removalTimeout, Path stateDir,
                       Duration commandTimeout) {

    static final String SECTION = "scaleio";

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("endpoint", ConfigType.STRING, "gateway URL, https://host[:port] or https://host[:port]/api"),
                ConfigKey.optional("insecure", ConfigType.BOOLEAN, "false", "skip TLS certificate verification (dangerous; default verifies)"),
                ConfigKey.optional("caCertificate", ConfigType.PATH, null, "PEM file of the certificate (or CA) the gateway presents, trusted in addition to the JDK's"),
                ConfigKey.optional("useCerts", ConfigType.BOOLEAN, "true", "REX-Ray compatibility: the JDK's trust store is always used"),
                ConfigKey.required("userName", ConfigType.STRING, "gateway user"),
                ConfigKey.required("password", ConfigType.SECRET, "gateway password"),
                ConfigKey.optional("userID", ConfigType.STRING, null, "REX-Ray compatibility; unused (REX-Ray registered it but never read it)"),
                ConfigKey.optional("systemID", ConfigType.STRING, null, "system id (wins over systemName)"),
                ConfigKey.optional("systemName", ConfigType.STRING, null, "system name"),
                ConfigKey.optional("protectionDomainID", ConfigType.STRING, null, "protection domain id (wins over the name)"),
                ConfigKey.optional("protectionDomainName", ConfigType.STRING, null, "protection domain name"),
                ConfigKey.optional("storagePoolID", ConfigType.STRING, null, "storage pool id (wins over the name)"),
                ConfigKey.optional("storagePoolName", ConfigType.STRING, null, "storage pool name, looked up inside the protection domain"),
                ConfigKey.oneOf("thinOrThick", "ThinProvisioned", "volume type of new volumes", "ThinProvisioned", "ThickProvisioned"),
                ConfigKey.optional("guid", ConfigType.STRING, null, "this host's SDC GUID instead of asking drv_cfg"),
                ConfigKey.optional("drvCfg", ConfigType.PATH, "/opt/emc/scaleio/sdc/bin/drv_cfg", "the SDC's drv_cfg program"),
                ConfigKey.optional("deviceDir", ConfigType.PATH, "/dev/disk/by-id", "where emc-vol-<system>-<volume> links of mapped volumes appear"),
                ConfigKey.optional("version", ConfigType.STRING, null, "force this API version instead of asking the gateway (REX-Ray's key)"),
                ConfigKey.optional("apiVersion", ConfigType.STRING, null, "same as version (the name REX-Ray's documentation used)"),
                ConfigKey.optional("connectTimeout", ConfigType.DURATION, "10s", "TCP and TLS connect deadline"),
                ConfigKey.optional("requestTimeout", ConfigType.DURATION, "30s", "deadline of one gateway request"),
                ConfigKey.optional("attempts", ConfigType.INTEGER, "3", "tries of a request that failed at the connection level (all requests are idempotent)"),
                ConfigKey.optional("ownerGracePeriod", ConfigType.DURATION, "5s",
                        "how long an owner's SDC must stay Disconnected before IF_OWNER_UNREACHABLE takes its volume"),
                ConfigKey.optional("removalTimeout", ConfigType.DURATION, "60s", "how long to wait for an asynchronous volume removal"),
                ConfigKey.stateDirectory("stateDir", "scaleio",
                        "where the driver remembers names longer than the gateway allows and the filesystem requested at create"),
                ConfigKey.optional("commandTimeout", ConfigType.DURATION, "30s", "deadline of drv_cfg"));
    }

    static ScaleIoSettings from(DriverConfig c) {
        String v1 = c.optionalString("version").orElse(null);
        String v2 = c.optionalString("apiVersion").orElse(null);
        if (v1 != null && v2 != null && !v1.equals(v2)) {
            throw invalid("apiVersion", "contradicts scaleio.version (" + v1 + " vs " + v2 + ")");
        }
        long attempts = c.integer("attempts");
        if (attempts < 1 || attempts > 10) {
            throw invalid("attempts", "must be between 1 and 10");
        }
        if (c.optionalString("systemID").isEmpty() && c.optionalString("systemName").isEmpty()) {
            throw invalid("systemName", "set systemID or systemName");
        }
        if (c.optionalString("protectionDomainID").isEmpty() && c.optionalString("protectionDomainName").isEmpty()) {
            throw invalid("protectionDomainName", "set protectionDomainID or protectionDomainName");
        }
        if (c.optionalString("storagePoolID").isEmpty() && c.optionalString("storagePoolName").isEmpty()) {
            throw invalid("storagePoolName", "set storagePoolID or storagePoolName");
        }
        return new ScaleIoSettings(endpoint(c.string("endpoint")), c.bool("insecure"), c.optionalPath("caCertificate"),
                c.string("userName"), c.secret("password").orElseThrow(),
                c.optionalString("systemID"), c.optionalString("systemName"),
                c.optionalString("protectionDomainID"), c.optionalString("protectionDomainName"),
                c.optionalString("storagePoolID"), c.optionalString("storagePoolName"),
                c.string("thinOrThick"), c.optionalString("guid").map(g -> g.toUpperCase(java.util.Locale.ROOT)),
                c.path("drvCfg"), c.path("deviceDir"), Optional.ofNullable(v1 != null ? v1 : v2),
                c.duration("connectTimeout"), c.duration("requestTimeout"), (int) attempts,
                c.duration("ownerGracePeriod"), c.duration("removalTimeout"), c.path("stateDir"), c.duration("commandTimeout"));
    }

    /** {@code https://host[:port][/api]} to {@code https://host:port}; requests always carry absolute {@code /api/...} paths. */
    static URI endpoint(String text) {
        try {
            URI u = new URI(text.strip());
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw invalid("endpoint", "'" + text + "' is not an http(s) URL such as https://gateway/api");
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
            if (!path.isEmpty() && !path.equals("/api")) {
                throw invalid("endpoint", "'" + text + "' has the path " + path + "; only /api (or nothing) is allowed");
            }
            int port = u.getPort() != -1 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
            return new URI(u.getScheme(), null, u.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "'" + text + "' is not a URL: " + e.getMessage());
        }
    }

    private static InvalidConfigurationException invalid(String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("load configuration", null, null, SECTION), SECTION + "." + key, problem);
    }
}
