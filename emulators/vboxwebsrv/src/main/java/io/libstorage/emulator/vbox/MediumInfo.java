package io.libstorage.emulator.vbox;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A snapshot of a registered hard disk.
 *
 * @param id          medium UUID
 * @param location    absolute host path of its image
 * @param logicalSize size in bytes
 * @param machineIds  UUIDs of the machines it is attached to (saved or in a session)
 */
public record MediumInfo(UUID id, Path location, long logicalSize, List<String> machineIds) {
}
