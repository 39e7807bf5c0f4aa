package io.libstorage.scaleio.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * This host as an SDC: its GUID (from {@code drv_cfg --query_guid} or configuration, upper-cased)
 * and the device of a mapped volume, found by the exact link name
 * {@code <deviceDir>/emc-vol-<systemId>-<volumeId>} (never a {@code -partN} link) resolved to the
 * real device.
 */
final class ScaleIoHostSide implements HostSide {
    private final ScaleIoSettings settings;
    private final ProcessRunner processes;
    private final HostId host;

    ScaleIoHostSide(ScaleIoSettings settings, ProcessRunner processes, HostId host) {
        this.settings = settings;
        this.processes = processes;
        this.host = host;
    }

    static String queryGuid(ScaleIoSettings settings, ProcessRunner processes, ErrorContext ctx) {
        if (!Files.isExecutable(settings.drvCfg())) {
            throw new InvalidConfigurationException(ctx, "scaleio.guid", "not set, and " + settings.drvCfg()
                    + " (scaleio.drvCfg) is not an executable drv_cfg that could tell this host's SDC GUID");
        }
        ProcessResult r = processes.run(ctx, List.of(settings.drvCfg().toString(), "--query_guid"), settings.commandTimeout())
                .requireSuccess(ctx);
        String guid = r.stdout().strip().toUpperCase(Locale.ROOT);
        if (!guid.matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")) {
            throw new InvalidConfigurationException(ctx, "scaleio.drvCfg", settings.drvCfg() + " --query_guid printed '"
                    + r.stdout().strip() + "', which is not an SDC GUID");
        }
        return guid;
    }

    @Override
    public HostId localHost() {
        return host;
    }

    private Path link(Attachment attachment) {
        return settings.deviceDir().resolve("emc-vol-" + attachment.deviceToken());
    }

    @Override
    public Optional<Path> findDevice(Attachment attachment) {
        Path link = link(attachment);
        try {
            return Files.exists(link) ? Optional.of(link.toRealPath()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> searchedLocations(Attachment attachment) {
        return List.of(link(attachment) + " (SDC " + host + ")");
    }

    @Override
    public void rescan() {
        if (Files.isExecutable(settings.drvCfg())) {
            ErrorContext ctx = ErrorContext.of("rescan", null, host.value(), ScaleIoStorageDriver.NAME);
            processes.run(ctx, List.of(settings.drvCfg().toString(), "--rescan"), settings.commandTimeout());
        }
    }
}
