package io.libstorage.emulator.scaleio.internal;

/** Size rules (reference 5): volumes are allocated in whole multiples of 8 GiB. */
final class Sizes {
    static final long GRANULE_KB = 8L * 1024 * 1024;
    static final long GIB_IN_KB = 1024L * 1024;

    private Sizes() {
    }

    /** Rounds a requested size in KiB up to the next 8 GiB multiple. */
    static long roundUpKb(long requestedKb) {
        long granules = (requestedKb + GRANULE_KB - 1) / GRANULE_KB;
        return Math.max(1, granules) * GRANULE_KB;
    }
}
