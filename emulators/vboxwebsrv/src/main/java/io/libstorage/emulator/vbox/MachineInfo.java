package io.libstorage.emulator.vbox;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a registered machine.
 *
 * @param id           machine UUID
 * @param name         machine name
 * @param state        machine state
 * @param sessionState {@code Locked} (a session or the VM process holds it) or {@code Unlocked}
 * @param macs         MAC addresses of the first four network adapters
 * @param controllers  {@code name (bus, N ports)} per controller
 * @param attachments  saved attachments as {@code <controller>-<port>-<device> <medium uuid>} or {@code (empty DVD)}
 * @param diskIdPath   the guest's by-id directory, or null
 */
public record MachineInfo(UUID id, String name, MachineState state, String sessionState, List<String> macs,
                          List<String> controllers, List<String> attachments, @Nullable Path diskIdPath) {
}
