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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code scaleio:} section, in REX-Ray's key names (endpoint, insecure, userName, password,
 * systemID/systemName, protectionDomainID/Name, storagePoolID/Name, thinOrThick, guid, drvCfg, version and
 * apiVersion) plus the settings this driver adds (caCertificate, deviceDir, timeouts, grace period, stateDir).
 * {@link #from} checks everything that needs no gateway, without side effects; what only the gateway can tell (the
 * system, protection domain, pool and SDC named) is checked when the driver connects.
 */
record ScaleIoSettings(URI endpoint, boolean insecure, Optional<Path> caCertificate, String userName, Secret password,
                       Optional<String> systemId, Optional<String> systemName,
                       Optional<String> protectionDomainId, Optional<String> protectionDomainName,
                       Optional<String> storagePoolId, Optional<String> storagePoolName,
                       String thinOrThick, Optional<String> guid, Path drvCfg, Path deviceDir,
                       Optional<String> forcedApiVersion, Duration connectTimeout, Duration requestTimeout,
                       int attempts, Duration ownerGracePeriod, Duration removalTimeout, Path stateDir,
                       Duration commandTimeout, Authentication authentication) {

    /**
     * How the driver logs in: {@code basic} is {@code GET /api/login} with the password, then the session token as
     * the Basic password (ScaleIO 2.x, 3.x); {@code bearer} is {@code POST /rest/auth/login} with a JSON body, then
     * {@code Authorization: Bearer} with the access token (PowerFlex 4.x); {@code auto} tries {@code bearer} and
     * falls back to {@code basic} when the gateway does not answer with tokens (3.6 answers {@code {}}, 2.x 404).
     */
    enum Authentication {
        AUTO, BASIC, BEARER;

        static Authentication of(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    static final String SECTION = "scaleio";
    private static final Pattern VERSION = Pattern.compile("^(\\d+\\.\\d+).*$");

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("endpoint", ConfigType.STRING, "gateway URL, https://host[:port] or https://host[:port]/api"),
                ConfigKey.optional("insecure", ConfigType.BOOLEAN, "false",
                        "verify neither the gateway's certificate chain nor its host name (dangerous; by default both are verified)"),
                ConfigKey.optional("caCertificate", ConfigType.PATH, null, "PEM file of the certificate (or CA) the gateway presents, trusted in addition to the JDK's"),
                ConfigKey.optional("useCerts", ConfigType.BOOLEAN, "true", "REX-Ray compatibility: the JDK's trust store is always used"),
                ConfigKey.required("userName", ConfigType.STRING, "gateway user"),
                ConfigKey.required("password", ConfigType.SECRET, "gateway password"),
                ConfigKey.optional("userID", ConfigType.STRING, null, "REX-Ray compatibility; unused (REX-Ray registered it but never read it)"),
                ConfigKey.optional("systemID", ConfigType.STRING, null,
                        "system id; with systemName too, both must name the same system; with neither, the gateway's only system"),
                ConfigKey.optional("systemName", ConfigType.STRING, null, "system name (see systemID)"),
                ConfigKey.optional("protectionDomainID", ConfigType.STRING, null,
                        "protection domain id; with protectionDomainName too, both must name the same domain"),
                ConfigKey.optional("protectionDomainName", ConfigType.STRING, null, "protection domain name"),
                ConfigKey.optional("storagePoolID", ConfigType.STRING, null, "storage pool id; with storagePoolName too, both must name the same pool"),
                ConfigKey.optional("storagePoolName", ConfigType.STRING, null, "storage pool name, looked up inside the protection domain"),
                ConfigKey.oneOf("thinOrThick", "ThinProvisioned", "volume type of new volumes", "ThinProvisioned", "ThickProvisioned"),
                ConfigKey.optional("guid", ConfigType.STRING, null, "this host's SDC GUID instead of asking drv_cfg"),
                ConfigKey.optional("drvCfg", ConfigType.PATH, "/opt/emc/scaleio/sdc/bin/drv_cfg", "the SDC's drv_cfg program"),
                ConfigKey.optional("deviceDir", ConfigType.PATH, "/dev/disk/by-id", "where emc-vol-<system>-<volume> links of mapped volumes appear"),
                ConfigKey.optional("version", ConfigType.STRING, null,
                        "force this API version (major.minor, e.g. 2.0) instead of asking the gateway (the key REX-Ray's code read)"),
                ConfigKey.optional("apiVersion", ConfigType.STRING, null,
                        "same as version (the key REX-Ray's documentation named); both given must agree"),
                ConfigKey.oneOf("authentication", "auto",
                        "how to log in: basic (GET /api/login, ScaleIO 2.x/3.x), bearer (POST /rest/auth/login, PowerFlex 4.x), "
                                + "or auto (bearer if the gateway answers with tokens, else basic; a forced version decides without asking)",
                        "auto", "basic", "bearer"),
                ConfigKey.optional("connectTimeout", ConfigType.DURATION, "10s", "TCP and TLS connect deadline"),
                ConfigKey.optional("requestTimeout", ConfigType.DURATION, "30s", "deadline of one gateway request"),
                ConfigKey.optional("attempts", ConfigType.INTEGER, "3", "tries of a request that failed at the connection level (all requests are idempotent)"),
                ConfigKey.optional("ownerGracePeriod", ConfigType.DURATION, "5s",
                        "how long an owner's SDC must stay Disconnected before IF_OWNER_UNREACHABLE takes its volume"),
                ConfigKey.optional("removalTimeout", ConfigType.DURATION, "60s", "how long to wait for an asynchronous volume removal"),
                ConfigKey.stateDirectory("stateDir", "scaleio",
                        "where the driver remembers names longer than the gateway allows and the filesystem requested at create, "
                                + "the system and SDCs the gateway named (10 minutes), volume ids and when owners were first seen disconnected"),
                ConfigKey.optional("commandTimeout", ConfigType.DURATION, "30s", "deadline of drv_cfg"));
    }

    /**
     * The settings, after every check that needs no gateway: value types, ranges, the endpoint, the forced API
     * version, and which keys must be given together. Pure: reads nothing, connects nowhere.
     *
     * @throws InvalidConfigurationException naming the key (and, for a contradiction, both keys)
     */
    static ScaleIoSettings from(DriverConfig c) {
        Optional<String> forcedApiVersion = forcedApiVersion(c);
        Authentication authentication = authentication(c, forcedApiVersion);
        long attempts = c.integer("attempts");
        if (attempts < 1 || attempts > 10) {
            throw invalid("attempts", "must be between 1 and 10");
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
                c.path("drvCfg"), c.path("deviceDir"), forcedApiVersion,
                c.duration("connectTimeout"), c.duration("requestTimeout"), (int) attempts,
                c.duration("ownerGracePeriod"), c.duration("removalTimeout"), c.path("stateDir"), c.duration("commandTimeout"),
                authentication);
    }

    /**
     * The login flavour: {@code auto} with a forced API version needs no probe (4.0 and later log in with a bearer
     * token, older versions with Basic); {@code bearer} with a version older than 4.0 is a contradiction, since
     * {@code /rest/auth/login} only exists from PowerFlex 4.0 on.
     */
    private static Authentication authentication(DriverConfig c, Optional<String> forcedApiVersion) {
        Authentication chosen = Authentication.of(c.string("authentication"));
        if (forcedApiVersion.isEmpty()) {
            return chosen;
        }
        boolean bearerEra = major(forcedApiVersion.get()) >= 4;
        if (chosen == Authentication.BEARER && !bearerEra) {
            throw invalid("authentication", "is bearer but the forced API version (scaleio.version or scaleio.apiVersion) is "
                    + forcedApiVersion.get() + "; bearer tokens (POST /rest/auth/login) exist from PowerFlex 4.0 on: "
                    + "use basic, or force 4.0 or later");
        }
        return chosen == Authentication.AUTO ? (bearerEra ? Authentication.BEARER : Authentication.BASIC) : chosen;
    }

    private static int major(String majorMinor) {
        return Integer.parseInt(majorMinor.substring(0, majorMinor.indexOf('.')));
    }

    /**
     * {@code version} or {@code apiVersion} (REX-Ray's code read the first, its documentation named the second), as
     * {@code major.minor}; both given must name the same version.
     */
    private static Optional<String> forcedApiVersion(DriverConfig c) {
        Optional<String> version = c.optionalString("version").map(v -> apiVersion("version", v));
        Optional<String> apiVersion = c.optionalString("apiVersion").map(v -> apiVersion("apiVersion", v));
        if (version.isPresent() && apiVersion.isPresent() && !version.equals(apiVersion)) {
            throw invalid("apiVersion", "is " + apiVersion.get() + " but scaleio.version is " + version.get()
                    + "; both force the API version: give one of them, or the same version in both");
        }
        return version.or(() -> apiVersion);
    }

    /** {@code 2.0}, {@code 2.0.1}, {@code 3.5 (build 120)} to {@code major.minor}, as the gateway's header wants it. */
    private static String apiVersion(String key, String text) {
        return majorMinor(text).orElseThrow(() -> invalid(key, "'" + text + "' is not an API version such as 2.0"));
    }

    /** The {@code major.minor} an API version text starts with, if it does. */
    static Optional<String> majorMinor(String text) {
        Matcher m = VERSION.matcher(text.strip());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * {@code https://host[:port][/api]} to {@code https://host:port}; requests always carry absolute {@code /api/...}
     * paths. An endpoint holding credentials ({@code user:password@}) is refused without being quoted.
     */
    static URI endpoint(String text) {
        URI u;
        try {
            u = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "is not a URL such as https://gateway/api (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        if (u.getRawUserInfo() != null) {
            throw invalid("endpoint", "holds credentials (user:password@); give them as scaleio.userName and scaleio.password");
        }
        if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
            throw invalid("endpoint", "'" + text + "' is not an http(s) URL such as https://gateway/api");
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
        if (!path.isEmpty() && !path.equals("/api")) {
            throw invalid("endpoint", "'" + text + "' has the path " + path + "; only /api (or nothing) is allowed");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw invalid("endpoint", "has a query or fragment; only https://host[:port][/api] is allowed");
        }
        int port = u.getPort() != -1 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
        try {
            return new URI(u.getScheme(), null, u.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static InvalidConfigurationException invalid(String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("load configuration", null, null, SECTION), SECTION + "." + key, problem);
    }
}
