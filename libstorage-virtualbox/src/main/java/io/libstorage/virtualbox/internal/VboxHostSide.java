package io.libstorage.virtualbox.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.HostId;
import io.libstorage.spi.HostSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * This guest as VirtualBox sees it: its VM's UUID is its host id, and an attached volume's disk appears in
 * {@code diskIDPath} as {@code ata-VBOX_HARDDISK_VB<a>-<b>} (older udev: {@code scsi-SATA_VBOX_HARDDISK_VB<a>-<b>}),
 * the serial VirtualBox's AHCI emulation prints from the medium UUID: {@code <a>} its first 8 hex digits, {@code <b>}
 * its last 8 byte-reversed. The exact whole-disk link is resolved, never a {@code -partN} one and never a match on
 * half the UUID. A rescan writes {@code - - -} to each {@code <scsiHostPath>/host*}{@code /scan}.
 */
final class VboxHostSide implements HostSide {
    private static final Logger LOG = LoggerFactory.getLogger(VboxHostSide.class);
    private static final int MAX_SCSI_HOSTS = 64;

    private final VirtualBoxSettings settings;
    private final HostId host;

    VboxHostSide(VirtualBoxSettings settings, HostId host) {
        this.settings = settings;
        this.host = host;
    }

    @Override
    public HostId localHost() {
        return host;
    }

    /** {@code VB32a50c6d-2c3f5f6a} for medium {@code 32a50c6d-ddcc-4e0a-a3c6-5c126a5f3f2c}. */
    static String serial(String mediumId) {
        String hex = mediumId.replace("-", "").toLowerCase(Locale.ROOT);
        String last = hex.substring(24, 32);
        String reversed = last.substring(6, 8) + last.substring(4, 6) + last.substring(2, 4) + last.substring(0, 2);
        return "VB" + hex.substring(0, 8) + "-" + reversed;
    }

    private List<Path> links(Attachment attachment) {
        String serial = serial(attachment.deviceToken());
        return List.of(settings.diskIdPath().resolve("ata-VBOX_HARDDISK_" + serial),
                settings.diskIdPath().resolve("scsi-SATA_VBOX_HARDDISK_" + serial));
    }

    @Override
    public Optional<Path> findDevice(Attachment attachment) {
        for (Path link : links(attachment)) {
            try {
                if (Files.exists(link)) {
                    return Optional.of(link.toRealPath());
                }
            } catch (IOException e) {
                // vanished between the two calls
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> searchedLocations(Attachment attachment) {
        List<String> out = new ArrayList<>();
        links(attachment).forEach(l -> out.add(l.toString()));
        out.add("(rescanned " + settings.scsiHostPath() + "/host*/scan; VM " + host + ")");
        return out;
    }

    /** Asks every SCSI host (at most 64) to scan for new disks, as {@code echo '- - -' > …/scan} does. */
    @Override
    public void rescan() {
        List<Path> hosts = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(settings.scsiHostPath(), "host*")) {
            for (Path p : d) {
                if (hosts.size() < MAX_SCSI_HOSTS) {
                    hosts.add(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("no SCSI hosts to rescan in {}: {}", settings.scsiHostPath(), e.getMessage());
            return;
        }
        Collections.sort(hosts);
        for (Path h : hosts) {
            try {
                Files.writeString(h.resolve("scan"), "- - -", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                LOG.debug("rescan of {} failed: {}", h, e.getMessage());
            }
        }
    }

    /** This guest's MAC addresses as VirtualBox prints them (12 upper-case hex digits), from {@code netClassPath}. */
    static Set<String> guestMacs(Path netClassPath) {
        Set<String> out = new LinkedHashSet<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(netClassPath)) {
            List<Path> ifaces = new ArrayList<>();
            d.forEach(ifaces::add);
            Collections.sort(ifaces);
            for (Path iface : ifaces) {
                try {
                    String mac = Files.readString(iface.resolve("address")).strip().replace(":", "").toUpperCase(Locale.ROOT);
                    if (mac.matches("[0-9A-F]{12}") && !mac.equals("000000000000")) {
                        out.add(mac);
                    }
                } catch (IOException e) {
                    // not an interface with an address
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", netClassPath, e.getMessage());
        }
        return out;
    }
}
