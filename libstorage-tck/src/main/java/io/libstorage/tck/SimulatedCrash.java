package io.libstorage.tck;

/**
 * Thrown at an injected crash point (by a {@link CrashPlan}). It is an {@link Error}, not an
 * exception, so that the library's failure handling (roll-back on {@code RuntimeException}) does
 * not run: to the code under test it looks like the process stopped there. {@code finally} blocks
 * still run, just as the kernel releases a dead process's file locks.
 */
public final class SimulatedCrash extends Error {
    public SimulatedCrash(String where) {
        super("simulated crash " + where);
    }
}
