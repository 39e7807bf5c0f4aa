package io.libstorage.inmemory;

import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.ProcessHolder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Fault injection for an {@link InMemoryCluster}: an unavailable or slow back end, failed or lost unmaps,
 * devices that never appear, expired sessions and bad credentials, busy mounts and I/O errors. (Crashes at a
 * chosen step are injected by libstorage-tck's {@code CrashPlan}, which works with any driver.) Host death and
 * network partitions are on the cluster itself ({@link InMemoryCluster#killHost}, {@link InMemoryCluster#partition}).
 * Thread-safe.
 */
public final class Faults {
    private volatile boolean backendDown;
    private volatile Duration latency = Duration.ZERO;
    private final Map<StorageOp, Failure> failures = new ConcurrentHashMap<>();
    private volatile boolean loseUnmaps;
    private final AtomicInteger failingUnmaps = new AtomicInteger();
    private volatile boolean hideAllDevices;
    private final Set<String> hiddenDevices = ConcurrentHashMap.newKeySet();
    private final Set<String> ioErrorVolumes = ConcurrentHashMap.newKeySet();
    private volatile boolean sessionExpired;
    private volatile boolean invalidCredentials;
    private final Map<Path, List<ProcessHolder>> busy = new ConcurrentHashMap<>();

    private record Failure(AtomicInteger remaining, Function<ErrorContext, RuntimeException> error) {
    }

    Faults() {
    }

    // ------------------------------------------------------------ configuration

    /** Every back-end call fails with a retryable {@link BackendUnavailableException}. */
    public void backendUnavailable(boolean down) {
        this.backendDown = down;
    }

    /** Every back-end call waits this long first (outside any lock). */
    public void latency(Duration d) {
        this.latency = d;
    }

    /** The next {@code times} calls of {@code op} fail with what {@code error} builds. */
    public void failNext(StorageOp op, int times, Function<ErrorContext, RuntimeException> error) {
        failures.put(op, new Failure(new AtomicInteger(times), error));
    }

    /** The next {@code times} calls of {@code op} fail as if the back end were unreachable. */
    public void failNext(StorageOp op, int times) {
        failNext(op, times, ctx -> new BackendUnavailableException(ctx, "injected failure of " + op, true, null));
    }

    /** Unmaps answer success but the mapping stays (a lost unmap): fencing must detect it. */
    public void loseUnmaps(boolean lose) {
        this.loseUnmaps = lose;
    }

    /** The next {@code times} unmaps (including the fencing unmap of a pre-emption) fail at the back end. */
    public void failNextUnmaps(int times) {
        failingUnmaps.set(times);
    }

    /** No attached device ever appears on any host. */
    public void hideAllDevices(boolean hide) {
        this.hideAllDevices = hide;
    }

    /** The device of this volume never appears. */
    public void hideDevice(String volumeName) {
        hiddenDevices.add(volumeName);
    }

    /** Reads of this volume's device fail with I/O errors on every host. */
    public void ioErrors(String volumeName, boolean failing) {
        if (failing) {
            ioErrorVolumes.add(volumeName);
        } else {
            ioErrorVolumes.remove(volumeName);
        }
    }

    /** The back end forgets every session: the next call must log in again. */
    public void expireSession() {
        this.sessionExpired = true;
    }

    /** Logins fail: the configured credentials are wrong. */
    public void invalidCredentials(boolean invalid) {
        this.invalidCredentials = invalid;
    }

    /** Unmounting {@code mountPoint} without the lazy option fails as busy, held by these processes. */
    public void busy(Path mountPoint, List<ProcessHolder> holders) {
        busy.put(mountPoint.toAbsolutePath().normalize(), List.copyOf(holders));
    }

    public void notBusy(Path mountPoint) {
        busy.remove(mountPoint.toAbsolutePath().normalize());
    }

    /** Clears every fault. */
    public void reset() {
        backendDown = false;
        latency = Duration.ZERO;
        failures.clear();
        loseUnmaps = false;
        failingUnmaps.set(0);
        hideAllDevices = false;
        hiddenDevices.clear();
        ioErrorVolumes.clear();
        sessionExpired = false;
        invalidCredentials = false;
        busy.clear();
    }

    // ------------------------------------------------------------ hooks used by the drivers

    /**
     * Waits the injected latency; false when the caller was interrupted meanwhile (a deadline gave up on it): the
     * call must then fail, as a real client's call does when its thread is interrupted, not go on to change the back
     * end behind the caller's back.
     */
    boolean slowDown() {
        Duration d = latency;
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Checks run before a back-end call; returns whether a login was needed first. */
    boolean beforeStorage(StorageOp op, ErrorContext ctx) {
        if (backendDown) {
            throw new BackendUnavailableException(ctx, "the back end is unavailable (injected)", true, null);
        }
        boolean relogin = false;
        if (sessionExpired || invalidCredentials) {
            if (invalidCredentials) {
                throw new AuthenticationException(ctx, "the back end rejected the credentials (injected)");
            }
            sessionExpired = false;
            relogin = true;
        }
        Failure f = failures.get(op);
        if (f != null && f.remaining().getAndDecrement() > 0) {
            throw f.error().apply(ctx);
        }
        return relogin;
    }

    boolean unmapFails() {
        return failingUnmaps.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    boolean unmapsLost() {
        return loseUnmaps;
    }

    boolean deviceHidden(String volumeName) {
        return hideAllDevices || hiddenDevices.contains(volumeName);
    }

    boolean ioError(String volumeName) {
        return ioErrorVolumes.contains(volumeName);
    }

    List<ProcessHolder> busyHolders(Path mountPoint) {
        return busy.get(mountPoint.toAbsolutePath().normalize());
    }
}
