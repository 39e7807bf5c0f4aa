package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.spi.OSDriver;
import io.libstorage.tck.ForwardingOSDriver;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wraps an OS driver so that a test can hold the mount of chosen volumes (named by the call's error
 * context) until it opens the gate: an operation that takes "too long" without any timing in the test.
 */
final class GatedOSDriver extends ForwardingOSDriver {
    private final Set<String> gated = ConcurrentHashMap.newKeySet();
    private final Set<String> gatedTables = ConcurrentHashMap.newKeySet();
    private final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);

    GatedOSDriver(OSDriver delegate) {
        super(delegate);
    }

    GatedOSDriver hold(String volume) {
        gated.add(volume);
        return this;
    }

    /** Also hold reads of the mount table made for {@code volume} (the library's "already mounted?" check). */
    GatedOSDriver holdMountTable(String volume) {
        gatedTables.add(volume);
        return this;
    }

    void open() {
        gate.countDown();
    }




    @Override
    public void mount(ErrorContext context, Path device, Path target, String fsType, List<String> options) {
        if (context.volume() != null && gated.contains(context.volume())) {
            await();
        }
        delegate().mount(context, device, target, fsType, options);
    }

    private void await() {
        {
            entered.countDown();
            try {
                if (!gate.await(5, TimeUnit.MINUTES)) {
                    throw new AssertionError("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public List<MountEntry> mounts(ErrorContext context) {
        awaitIfTableGated(context);
        return delegate().mounts(context);
    }

    @Override
    public Optional<MountEntry> mountAt(ErrorContext context, Path target) {
        awaitIfTableGated(context);
        return delegate().mountAt(context, target);
    }

    private void awaitIfTableGated(ErrorContext context) {
        if (context.volume() != null && gatedTables.contains(context.volume())) {
            await();
        }
    }
}
