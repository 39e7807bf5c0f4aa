package io.libstorage.emulator.vbox.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/** An {@code IMedium} of device type HardDisk. Guarded by the {@link Model} lock. */
public final class Disk {
    /** {@code MediumState} values the emulator uses. */
    enum State { NotCreated, Created, Creating, Deleting }

    final UUID id;
    final Path location;
    final String format;
    long logicalSize;
    State state;
    boolean registered;
    /** Whether the emulator created the backing file (only such files are ever deleted). */
    boolean ownFile;
    String description = "";

    Disk(UUID id, Path location, String format, State state) {
        this.id = id;
        this.location = location;
        this.format = format;
        this.state = state;
    }

    public UUID id() {
        return id;
    }

    public Path location() {
        return location;
    }

    /** The medium's name: the file name of its location. */
    String name() {
        Path f = location.getFileName();
        return f == null ? location.toString() : f.toString();
    }

    String idText() {
        return id.toString().toLowerCase(Locale.ROOT);
    }
}
