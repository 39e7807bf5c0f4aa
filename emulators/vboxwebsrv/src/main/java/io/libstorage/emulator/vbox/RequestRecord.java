package io.libstorage.emulator.vbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One web-service call as the emulator saw it. Passwords are never recorded ({@code <password>} is replaced).
 *
 * @param seq        position in the log (starts at 1, keeps counting across resets)
 * @param at         when the call arrived
 * @param operation  the operation's local name ({@code IMachine_attachDevice}), or {@code ?} when the body was unreadable
 * @param httpStatus status sent (200, or 500 with a fault), 0 when the connection was dropped
 * @param fault      the fault string sent, or null
 * @param body       the request body (at most 4 KiB, password redacted)
 */
public record RequestRecord(long seq, Instant at, String operation, int httpStatus, @Nullable String fault, String body) {
}
