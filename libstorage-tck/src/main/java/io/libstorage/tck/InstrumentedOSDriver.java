package io.libstorage.tck;

import io.libstorage.api.ErrorContext;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriver;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps any {@link OSDriver}: counts completed formats (per volume, from the error context), mounts,
 * freezes, thaws and filesystem growths, and injects the crashes of a {@link CrashPlan} around format,
 * mount and unmount.
 */
public final class InstrumentedOSDriver extends ForwardingOSDriver {
    private final CrashPlan crashes;
    private final Map<String, AtomicLong> formatsByVolume = new ConcurrentHashMap<>();
    private final AtomicLong formats = new AtomicLong();
    private final AtomicLong mounts = new AtomicLong();
    private final AtomicLong unmounts = new AtomicLong();
    private final AtomicLong freezes = new AtomicLong();
    private final AtomicLong thaws = new AtomicLong();
    private final AtomicLong growths = new AtomicLong();

    public InstrumentedOSDriver(OSDriver delegate, CrashPlan crashes) {
        super(delegate);
        this.crashes = crashes;
    }

    /** Formats that completed. */
    public long formats() {
        return formats.get();
    }

    /** Formats that completed for one volume (as named in the calls' error context). */
    public long formats(String volume) {
        AtomicLong n = formatsByVolume.get(volume);
        return n == null ? 0 : n.get();
    }

    /** Mount calls that completed (including idempotent repeats). */
    public long mounts() {
        return mounts.get();
    }

    public long unmounts() {
        return unmounts.get();
    }

    /** Freezes that completed. */
    public long freezes() {
        return freezes.get();
    }

    /** Thaws that completed. */
    public long thaws() {
        return thaws.get();
    }

    /** Filesystem growths that completed. */
    public long growths() {
        return growths.get();
    }

    @Override
    public void freeze(ErrorContext context, Path mountPoint) {
        delegate().freeze(context, mountPoint);
        freezes.incrementAndGet();
    }

    @Override
    public void thaw(ErrorContext context, Path mountPoint) {
        delegate().thaw(context, mountPoint);
        thaws.incrementAndGet();
    }

    @Override
    public void growFilesystem(ErrorContext context, Path device, Path mountPoint, String fsType) {
        delegate().growFilesystem(context, device, mountPoint, fsType);
        growths.incrementAndGet();
    }
    @Override
    public void format(ErrorContext context, Path device, FormatOptions request) {
        crashes.before("format " + device);
        delegate().format(context, device, request);
        formats.incrementAndGet();
        formatsByVolume.computeIfAbsent(String.valueOf(context.volume()), k -> new AtomicLong()).incrementAndGet();
        crashes.after("format " + device);
    }

    @Override
    public void mount(ErrorContext context, Path device, Path target, String fsType, List<String> options) {
        crashes.before("mount " + target);
        delegate().mount(context, device, target, fsType, options);
        mounts.incrementAndGet();
        crashes.after("mount " + target);
    }

    @Override
    public void unmount(ErrorContext context, Path target, boolean lazy) {
        crashes.before("unmount " + target);
        delegate().unmount(context, target, lazy);
        unmounts.incrementAndGet();
        crashes.after("unmount " + target);
    }






}
