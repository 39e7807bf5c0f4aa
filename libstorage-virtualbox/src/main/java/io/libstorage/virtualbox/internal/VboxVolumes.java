package io.libstorage.virtualbox.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Volumes as VirtualBox shows them: hard disks directly in {@code volumePath}. A lookup by id or name is one
 * {@code IVirtualBox_openMedium} (by UUID, or by the volume's location) plus the medium's attributes, never a
 * listing of every registered medium; a medium found by id outside {@code volumePath} (a VM's boot disk) is no volume.
 * Ids are medium UUIDs, names the file names, hosts the UUIDs of the VMs a medium is attached to.
 */
final class VboxVolumes {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final VolumePath path;

    VboxVolumes(VolumePath path) {
        this.path = path;
    }

    VolumePath path() {
        return path;
    }

    static boolean isMediumId(String id) {
        return UUID.matcher(id).matches();
    }

    /** A medium and its volume view, found in one piece of work. */
    record Found(Ref medium, Volume volume) {
    }

    Optional<Found> byId(VboxSession s, String id) {
        Optional<Ref> opened = opened(s, id);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Ref medium = opened.get();
        String location = s.mediumLocation(medium);
        return path.nameOf(location).map(name -> new Found(medium, view(s, medium, name, location)));
    }

    /** The medium of volume {@code id}: registered, and in {@code volumePath} (two calls). */
    Optional<Ref> open(VboxSession s, String id) {
        return opened(s, id).filter(m -> path.nameOf(s.mediumLocation(m)).isPresent());
    }

    private static Optional<Ref> opened(VboxSession s, String id) {
        if (!isMediumId(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.openMedium(id));
        } catch (VboxFault f) {
            if (f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                return Optional.empty();
            }
            throw f;
        }
    }

    Optional<Found> byName(VboxSession s, String name) {
        if (!VolumeNames.isValid(name)) {
            return Optional.empty();
        }
        Ref medium;
        try {
            medium = s.openMedium(path.location(name));
        } catch (VboxFault f) {
            if (f.is(ResultCodes.VBOX_E_FILE_ERROR) || f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                return Optional.empty();
            }
            throw f;
        }
        String location = s.mediumLocation(medium);
        // a case-insensitive host (macOS, Windows) opens "Data" for "data": names stay exact
        if (!path.nameOf(location).map(name::equals).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(new Found(medium, view(s, medium, name, location)));
    }

    /** Every registered hard disk's location is read; the attributes only of those in {@code volumePath}. */
    List<Volume> list(VboxSession s) {
        List<Volume> out = new ArrayList<>();
        for (Ref medium : s.hardDisks()) {
            String location = s.mediumLocation(medium);
            Optional<String> name = path.nameOf(location).filter(VolumeNames::isValid);
            if (name.isPresent()) {
                out.add(view(s, medium, name.get(), location));
            }
            s.release(medium);
        }
        return out;
    }

    Volume view(VboxSession s, Ref medium, String name, String location) {
        String id = s.mediumId(medium).strip().toLowerCase(Locale.ROOT);
        long size = s.logicalSize(medium);
        List<String> machines = s.machineIds(medium);
        VolumeSpec spec = MediumDescription.decode(s.mediumDescription(medium))
                .orElseGet(() -> VolumeSpec.builder().sizeBytes(size).fsType(Optional.empty()).build());
        VolumeId vid = new VolumeId(id);
        List<Attachment> attachments = machines.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).distinct()
                .map(m -> new Attachment(vid, new HostId(m), id, AttachmentState.ATTACHED, null)).toList();
        return new Volume(vid, name, spec, size, attachments, Map.of("location", location), null, VirtualBoxStorageDriver.NAME);
    }

    /** The error context of work on a volume, naming it as users know it. */
    static ErrorContext named(ErrorContext ctx, Volume v) {
        return ctx.withVolume(v.name());
    }
}
