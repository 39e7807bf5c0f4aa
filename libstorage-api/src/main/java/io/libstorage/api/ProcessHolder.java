package io.libstorage.api;

/**
 * A process that holds a mount busy.
 *
 * @param pid the process id
 * @param command its command name (from {@code /proc/<pid>/comm})
 */
public record ProcessHolder(long pid, String command) {
    @Override
    public String toString() {
        return pid + ":" + command;
    }
}
