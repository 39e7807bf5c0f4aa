package io.libstorage.emulator.vbox;

/** The machine states the emulator models, with VirtualBox's {@code MachineState} names. */
public enum MachineState {
    PoweredOff,
    Saved,
    Aborted,
    Running,
    Paused;

    /** Whether a VM process exists (and holds the machine's write lock): {@code Running} or {@code Paused}. */
    public boolean online() {
        return this == Running || this == Paused;
    }

    /** Whether settings may change without a VM process: {@code PoweredOff} or {@code Aborted}. */
    public boolean offlineMutable() {
        return this == PoweredOff || this == Aborted;
    }

    /** Parses a wire name case-insensitively. */
    public static MachineState parse(String s) {
        for (MachineState m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown machine state '" + s + "' (PoweredOff, Saved, Aborted, Running, Paused)");
    }
}
