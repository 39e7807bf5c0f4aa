package io.libstorage.emulator.vbox.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * VirtualBox's rules for hard disk media: create (not registered until its storage exists), create base storage
 * (a sparse file; the size kept in whole 512-byte sectors as a VMDK stores it), delete storage (refused while
 * attached), open and close. Backing files are only ever deleted when this emulator created them. Every method runs
 * under the {@link Model} lock.
 */
final class Media {
    private static final Map<String, String> FORMATS = Map.of("vmdk", "VMDK", "vdi", "VDI", "vhd", "VHD", "raw", "RAW");

    private final Model model;
    private final Path defaultFolder;
    private final Map<UUID, Disk> registered = new LinkedHashMap<>();
    /** UUIDs of images this emulator wrote, by file: re-opening an image yields the UUID stored in it. */
    private final Map<Path, UUID> imageIds = new HashMap<>();

    Media(Model model, Path defaultFolder) {
        this.model = model;
        this.defaultFolder = defaultFolder;
    }

    Disk create(String format, String location, String accessMode, String deviceType) {
        String fmt = FORMATS.get(format == null ? "" : format.toLowerCase(Locale.ROOT));
        if (fmt == null) {
            throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "VirtualBox", "Invalid medium storage format '" + format + "'");
        }
        if (!"HardDisk".equals(deviceType)) {
            throw new ComError(ComError.E_INVALIDARG, "VirtualBox", "Only hard disks can be created (device type " + deviceType + ")");
        }
        if (!"ReadWrite".equals(accessMode)) {
            throw new ComError(ComError.E_INVALIDARG, "VirtualBox", "A new medium must be opened ReadWrite");
        }
        Path path = resolve(location);
        if (path.getFileName() == null || location.endsWith("/")) {
            UUID id = UUID.randomUUID();
            path = path.resolve("{" + id + "}." + fmt.toLowerCase(Locale.ROOT));
            return new Disk(id, path, fmt, Disk.State.NotCreated);
        }
        return new Disk(UUID.randomUUID(), path, fmt, Disk.State.NotCreated);
    }

    Progress createBaseStorage(Disk disk, long logicalSize, List<String> variants) {
        if (logicalSize < 0) {
            throw new ComError(ComError.E_INVALIDARG, "Medium", "The medium size argument (" + logicalSize + ") is negative");
        }
        if (disk.state != Disk.State.NotCreated) {
            throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Medium",
                    "Storage for the medium '" + disk.location + "' is already created");
        }
        boolean createDir = !variants.contains("NoCreateDir");
        disk.state = Disk.State.Creating;
        return model.progresses().start("Creating medium storage unit '" + disk.location + "'", new Progresses.Task() {
            @Override
            public void run() {
                try {
                    writeImage(disk, logicalSize, createDir);
                } catch (ComError e) {
                    disk.state = Disk.State.NotCreated;
                    throw e;
                }
            }

            @Override
            public void rollback() {
                disk.state = Disk.State.NotCreated;
            }
        });
    }

    private void writeImage(Disk disk, long logicalSize, boolean createDir) {
        long sectors = logicalSize / 512;
        if (sectors == 0) {
            throw storageError(disk, "VERR_VD_INVALID_SIZE");
        }
        for (Disk d : registered.values()) {
            if (d.location.equals(disk.location)) {
                throw storageError(disk, "VERR_ALREADY_EXISTS");
            }
        }
        Path dir = disk.location.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                if (!createDir) {
                    throw new ComError(ComError.VBOX_E_FILE_ERROR, "Medium", "Directory '" + dir + "' does not exist");
                }
                Files.createDirectories(dir);
            }
            if (Files.exists(disk.location)) {
                throw storageError(disk, "VERR_ALREADY_EXISTS");
            }
            try (RandomAccessFile f = new RandomAccessFile(Files.createFile(disk.location).toFile(), "rw")) {
                f.setLength(sectors * 512);
            }
        } catch (IOException e) {
            throw storageError(disk, "VERR_ACCESS_DENIED: " + e.getMessage());
        }
        disk.logicalSize = sectors * 512;
        disk.state = Disk.State.Created;
        disk.ownFile = true;
        disk.registered = true;
        registered.put(disk.id, disk);
        imageIds.put(disk.location, disk.id);
    }

    private static ComError storageError(Disk disk, String vdError) {
        return new ComError(ComError.VBOX_E_FILE_ERROR, "Medium",
                "Could not create the medium storage unit '" + disk.location + "' (" + vdError + ")");
    }

    Progress deleteStorage(Disk disk) {
        if (disk.state != Disk.State.Created) {
            throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Medium",
                    "Storage for the medium '" + disk.location + "' is not created");
        }
        List<String> users = machineIds(disk);
        if (!users.isEmpty()) {
            throw new ComError(ComError.VBOX_E_OBJECT_IN_USE, "Medium", "Cannot delete storage: medium '" + disk.location
                    + "' is still attached to the following " + users.size() + " virtual machine(s): " + String.join(", ", users));
        }
        disk.state = Disk.State.Deleting;
        return model.progresses().start("Deleting medium storage unit '" + disk.location + "'", new Progresses.Task() {
            @Override
            public void run() {
                if (disk.ownFile) {
                    try {
                        Files.deleteIfExists(disk.location);
                    } catch (IOException e) {
                        disk.state = Disk.State.Created;
                        throw new ComError(ComError.VBOX_E_FILE_ERROR, "Medium",
                                "Could not delete the medium storage unit '" + disk.location + "' (" + e.getMessage() + ")");
                    }
                    imageIds.remove(disk.location);
                }
                registered.remove(disk.id);
                disk.registered = false;
                disk.state = Disk.State.NotCreated;
            }

            @Override
            public void rollback() {
                disk.state = Disk.State.Created;
            }
        });
    }

    Disk open(String location, String deviceType, String accessMode, boolean forceNewUuid) {
        if (!"HardDisk".equals(deviceType)) {
            throw new ComError(ComError.E_INVALIDARG, "VirtualBox", "The emulator only opens hard disks (device type " + deviceType + ")");
        }
        UUID byId = uuid(location);
        if (byId != null) {
            Disk d = registered.get(byId);
            if (d == null) {
                throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "VirtualBox",
                        "Could not find an open hard disk with UUID {" + byId + "}");
            }
            return d;
        }
        Path path = resolve(location);
        for (Disk d : registered.values()) {
            if (d.location.equals(path)) {
                return d;
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new ComError(ComError.VBOX_E_FILE_ERROR, "Medium",
                    "Could not find file for the medium '" + path + "' (VERR_FILE_NOT_FOUND)");
        }
        UUID id = !forceNewUuid && imageIds.containsKey(path) ? imageIds.get(path) : UUID.randomUUID();
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String fmt = dot < 0 ? "RAW" : FORMATS.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "RAW");
        Disk d = new Disk(id, path, fmt, Disk.State.Created);
        try {
            d.logicalSize = Files.size(path) / 512 * 512;
        } catch (IOException e) {
            throw new ComError(ComError.VBOX_E_FILE_ERROR, "Medium", "Could not open the medium '" + path + "' (" + e.getMessage() + ")");
        }
        d.ownFile = imageIds.containsKey(path);
        d.registered = true;
        registered.put(d.id, d);
        return d;
    }

    void close(Disk disk) {
        List<String> users = machineIds(disk);
        if (!users.isEmpty()) {
            throw new ComError(ComError.VBOX_E_OBJECT_IN_USE, "Medium", "Medium '" + disk.location
                    + "' cannot be closed because it is still attached to " + users.size() + " virtual machines");
        }
        registered.remove(disk.id);
        disk.registered = false;
    }

    /** A registered medium of the emulator's own (a VM's boot disk). */
    Disk addImage(Path location, long logicalSize) throws IOException {
        Files.createDirectories(location.getParent());
        try (RandomAccessFile f = new RandomAccessFile(location.toFile(), "rw")) {
            f.setLength(logicalSize);
        }
        Disk d = new Disk(UUID.randomUUID(), location, "VMDK", Disk.State.Created);
        d.logicalSize = logicalSize;
        d.ownFile = true;
        d.registered = true;
        registered.put(d.id, d);
        imageIds.put(location, d.id);
        return d;
    }

    /** All registered base hard disks (every VM's boot disk included), as {@code IVirtualBox::hardDisks}. */
    List<Disk> hardDisks() {
        return new ArrayList<>(registered.values());
    }

    /** UUIDs of the machines the medium is attached to, in their saved settings or a session's current ones. */
    List<String> machineIds(Disk disk) {
        List<String> out = new ArrayList<>();
        for (Vm vm : model.vms()) {
            boolean used = vm.committed.stream().anyMatch(a -> a.medium() == disk)
                    || (vm.session != null && vm.session.working.stream().anyMatch(a -> a.medium() == disk));
            if (used) {
                out.add(vm.idText());
            }
        }
        return out;
    }

    /** Deletes the files this emulator created. */
    void deleteOwnFiles() {
        for (Path p : List.copyOf(imageIds.keySet())) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort at close
            }
        }
    }

    /** A location that is a UUID (with or without braces) names a registered medium, as VirtualBox's openMedium takes it. */
    private static UUID uuid(String location) {
        String s = location == null ? "" : location.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return null;
        }
        return UUID.fromString(s);
    }

    private Path resolve(String location) {
        Path p = Path.of(location == null ? "" : location);
        return (p.isAbsolute() ? p : defaultFolder.resolve(p)).normalize();
    }
}
