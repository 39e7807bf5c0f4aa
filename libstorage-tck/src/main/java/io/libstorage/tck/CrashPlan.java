package io.libstorage.tck;


import java.util.concurrent.atomic.AtomicLong;

/**
 * Where an injected crash happens: before or after the n-th side effect (a mutating call to the
 * storage driver — create, attach, detach, remove, snapshot, grow — or to the OS driver — format,
 * mount, unmount) counted from when the plan was armed. Shared by the {@link InstrumentedStorageDriver}
 * and {@link InstrumentedOSDriver} of one simulated process. Thread-safe.
 */
public final class CrashPlan {
    /** Relative to the chosen side effect. */
    public enum Timing { BEFORE, AFTER }

    private final AtomicLong count = new AtomicLong();
    private volatile long target = -1;
    private volatile Timing timing = Timing.BEFORE;
    private volatile String crashedAt;

    /** Crash at the {@code n}-th (1-based) side effect from now. */
    public void arm(long n, Timing when) {
        count.set(0);
        crashedAt = null;
        timing = when;
        target = n;
    }

    public void disarm() {
        target = -1;
    }

    /** Where the last crash happened, or null. */
    public String crashedAt() {
        return crashedAt;
    }

    void before(String what) {
        long n = count.incrementAndGet();
        check(n, Timing.BEFORE, what);
    }

    void after(String what) {
        check(count.get(), Timing.AFTER, what);
    }

    private void check(long n, Timing when, String what) {
        if (target == n && timing == when) {
            target = -1;
            crashedAt = when.name().toLowerCase() + " side effect #" + n + " (" + what + ")";
            throw new SimulatedCrash(crashedAt);
        }
    }
}
