package io.libstorage.virtualbox.internal;

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
 * The {@code virtualbox:} section, in REX-Ray's key names and defaults (endpoint, userName, password, tls,
 * volumePath, controllerName, localMachineNameOrId, diskIDPath, scsiHostPath; keys match case-insensitively, so
 * REX-Ray's registered {@code username} works too) plus the deadlines this client adds.
 *
 * <p>{@code tls} keeps REX-Ray's meaning, which its name hides: REX-Ray (libStorage's {@code vbox} driver through
 * go-virtualboxclient and gowsdl's SOAP client) fed it into Go's {@code tls.Config.InsecureSkipVerify}, so
 * {@code tls: true} switched certificate verification <em>off</em>, and the default {@code false} verified the
 * certificate of an https endpoint. Here too: the default verifies, and an existing REX-Ray section behaves as it did.
 *
 * @param endpoint             the web service URL (REX-Ray's default: the host as a NAT guest sees it)
 * @param userName             logon user ("" when authentication is off on the host)
 * @param password             logon password (may be empty)
 * @param skipTlsVerification  the {@code tls} key: do not verify the certificate of an https endpoint (REX-Ray's meaning)
 * @param volumePath           directory on the VirtualBox host holding the volumes, if configured
 * @param controllerName       storage controller volumes are attached to
 * @param localMachineNameOrId this VM's name or UUID, if configured (otherwise found by MAC)
 * @param diskIdPath           where the guest's by-id links appear
 * @param scsiHostPath         the guest's {@code scsi_host} directory for rescans
 * @param netClassPath         the guest's {@code /sys/class/net}, whose interfaces' MAC addresses find this VM
 * @param connectTimeout       TCP connect deadline
 * @param requestTimeout       deadline of one SOAP request
 * @param progressTimeout      how long a create/delete storage progress may take
 */
public record VirtualBoxSettings(URI endpoint, String userName, Secret password, boolean skipTlsVerification, Optional<String> volumePath,
                                 String controllerName, Optional<String> localMachineNameOrId, Path diskIdPath, Path scsiHostPath, Path netClassPath,
                                 Duration connectTimeout, Duration requestTimeout, Duration progressTimeout) {

    public static final String SECTION = "virtualbox";

    public static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.optional("endpoint", ConfigType.STRING, "http://10.0.2.2:18083",
                        "VirtualBox web service (vboxwebsrv) URL; the default is the host as a NAT guest sees it"),
                ConfigKey.optional("userName", ConfigType.STRING, "", "web service logon user (empty when its authentication is off)"),
                ConfigKey.optional("password", ConfigType.SECRET, null, "web service logon password"),
                ConfigKey.optional("tls", ConfigType.BOOLEAN, "false",
                        "REX-Ray's meaning: true SKIPS verifying the certificate of an https endpoint (insecure); false verifies it"),
                ConfigKey.optional("volumePath", ConfigType.STRING, null,
                        "directory on the VirtualBox host where volumes live; only media there are volumes"),
                ConfigKey.optional("controllerName", ConfigType.STRING, "SATA", "storage controller of this VM that volumes attach to"),
                ConfigKey.optional("localMachineNameOrId", ConfigType.STRING, null,
                        "this VM's name or UUID; without it the VM is found by this guest's MAC addresses"),
                ConfigKey.optional("diskIDPath", ConfigType.PATH, "/dev/disk/by-id", "where the guest's udev by-id links appear"),
                ConfigKey.optional("scsiHostPath", ConfigType.PATH, "/sys/class/scsi_host/", "the guest's scsi_host directory, for rescans"),
                ConfigKey.optional("netClassPath", ConfigType.PATH, "/sys/class/net",
                        "the guest's network interfaces, whose MAC addresses find this VM when localMachineNameOrId is not set"),
                ConfigKey.optional("connectTimeout", ConfigType.DURATION, "10s", "TCP connect deadline"),
                ConfigKey.optional("requestTimeout", ConfigType.DURATION, "60s", "deadline of one web service request"),
                ConfigKey.optional("progressTimeout", ConfigType.DURATION, "5m", "how long creating or deleting a volume's storage may take"));
    }

    public static VirtualBoxSettings from(DriverConfig c) {
        return new VirtualBoxSettings(endpoint(c.string("endpoint")), c.string("userName"),
                c.secret("password").orElse(Secret.of("")), c.bool("tls"), nonEmpty(c.optionalString("volumePath")),
                nonBlank(c.string("controllerName"), "controllerName"), nonEmpty(c.optionalString("localMachineNameOrId")),
                c.path("diskIDPath"), c.path("scsiHostPath"), c.path("netClassPath"), positive(c.duration("connectTimeout"), "connectTimeout"),
                positive(c.duration("requestTimeout"), "requestTimeout"), positive(c.duration("progressTimeout"), "progressTimeout"));
    }

    /**
     * The volume directory, which the driver needs (REX-Ray has no default for it either): the problem otherwise names
     * the key and what to put there.
     */
    public String requireVolumePath() {
        return volumePath.orElseThrow(() -> invalid("volumePath", "not set: name the directory on the VirtualBox host (not in "
                + "this guest) that holds the volumes, e.g. /Users/me/VirtualBox/Volumes; create it there first"));
    }

    static URI endpoint(String text) {
        try {
            URI u = new URI(text.strip());
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw invalid("endpoint", "'" + text + "' is not an http(s) URL such as http://10.0.2.2:18083");
            }
            if (u.getUserInfo() != null) {
                throw invalid("endpoint", "credentials belong in userName and password, not in the URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "'" + text + "' is not a URL: " + e.getMessage());
        }
    }

    private static Optional<String> nonEmpty(Optional<String> s) {
        return s.map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String nonBlank(String s, String key) {
        if (s.isBlank()) {
            throw invalid(key, "must not be empty");
        }
        return s;
    }

    private static Duration positive(Duration d, String key) {
        if (d.isZero() || d.isNegative()) {
            throw invalid(key, "must be positive");
        }
        return d;
    }

    private static InvalidConfigurationException invalid(String key, String problem) {
        return new InvalidConfigurationException(ErrorContext.of("load configuration", null, null, SECTION), SECTION + "." + key, problem);
    }
}
