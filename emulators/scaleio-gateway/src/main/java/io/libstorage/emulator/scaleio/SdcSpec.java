package io.libstorage.emulator.scaleio;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * An SDC (a simulated host) to register, at start or at run time.
 *
 * @param guid       the SDC GUID (a UUID; stored upper case, as gateways report it)
 * @param ip         the SDC IP address (a literal, never resolved)
 * @param name       the SDC name, or null
 * @param deviceDir  the host's device directory, or null for {@code /dev/disk/by-id}
 * @param drvCfg     where to write the host's fake {@code drv_cfg}, or null for {@code <dataDir>/sdc/<GUID>/drv_cfg}
 * @param systemName the system to register in (its name or id), or null for the first system
 */
public record SdcSpec(String guid, String ip, @Nullable String name, @Nullable Path deviceDir, @Nullable Path drvCfg,
                      @Nullable String systemName) {
    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");
    private static final Pattern IP = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public SdcSpec {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(ip, "ip");
        if (!GUID.matcher(guid).matches()) {
            throw new IllegalArgumentException("SDC GUID must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): " + guid);
        }
        if (!IP.matcher(ip).matches()) {
            throw new IllegalArgumentException("SDC IP must be an IPv4 or IPv6 literal: " + ip);
        }
        guid = guid.toUpperCase(Locale.ROOT);
    }

    public static SdcSpec of(String guid, String ip) {
        return new SdcSpec(guid, ip, null, null, null, null);
    }

    public SdcSpec withName(String sdcName) {
        return new SdcSpec(guid, ip, sdcName, deviceDir, drvCfg, systemName);
    }

    public SdcSpec withDeviceDir(Path dir) {
        return new SdcSpec(guid, ip, name, dir, drvCfg, systemName);
    }

    public SdcSpec withDrvCfg(Path script) {
        return new SdcSpec(guid, ip, name, deviceDir, script, systemName);
    }

    public SdcSpec inSystem(String system) {
        return new SdcSpec(guid, ip, name, deviceDir, drvCfg, system);
    }
}
