package io.libstorage.emulator.scaleio;

import java.nio.file.Path;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the emulator knows about one SDC (one host in one system).
 *
 * @param guid        the host's SDC GUID (upper case)
 * @param systemId    the system the SDC belongs to
 * @param sdcId       the SDC id in that system
 * @param ip          the SDC IP
 * @param name        the SDC name or null
 * @param state       the effective {@code mdmConnectionState}
 * @param override    a state forced through the admin API, or null when the agent connection decides
 * @param connections how many agent connections the host holds now
 * @param changedAt   when the effective state last changed (the emulator's start time if it never did)
 * @param deviceDir   the host's device directory, where {@code emc-vol-<system>-<volume>} links appear
 * @param drvCfg      the host's generated {@code drv_cfg} script
 */
public record SdcStatus(String guid, String systemId, String sdcId, String ip, @Nullable String name, SdcState state,
                        @Nullable SdcState override, int connections, Instant changedAt, Path deviceDir, Path drvCfg) {
}
