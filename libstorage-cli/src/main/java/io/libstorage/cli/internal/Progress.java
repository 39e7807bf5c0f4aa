package io.libstorage.cli.internal;

import io.libstorage.api.VolumeEvent;
import io.libstorage.api.VolumeEventListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line spinner with the elapsed time and the last step the library reported
 * ({@link VolumeEventListener}), redrawn on standard error while a long operation runs (waiting for a
 * device, mkfs of a large volume). Only when standard error is a terminal; otherwise it prints nothing.
 * {@link #close()} erases the line.
 */
public final class Progress implements VolumeEventListener, AutoCloseable {
    private static final String FRAMES = "|/-\\";
    private static final long TICK_MILLIS = 100;

    private final PrintStream err;
    private final String label;
    private final long startNanos = System.nanoTime();
    private final Thread ticker;
    private volatile String step = "working";
    private volatile boolean closed;
    private int frame;

    private Progress(PrintStream err, String label, boolean active) {
        this.err = err;
        this.label = label;
        if (active) {
            draw();
            ticker = new Thread(this::tick, "libstorage-progress");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    /** A spinner for {@code label} (e.g. {@code mount pgdata}) when {@code interactive}, else a silent listener. */
    public static Progress start(PrintStream err, boolean interactive, String label) {
        return new Progress(err, label, interactive);
    }

    /** Whether it draws anything. */
    public boolean active() {
        return ticker != null;
    }

    @Override
    public void onEvent(VolumeEvent event) {
        step = describe(event);
    }

    /** The step an event stands for, as the spinner shows it. */
    static String describe(VolumeEvent event) {
        if (event instanceof VolumeEvent.Attached a) {
            return "attached to " + a.host() + ", waiting for the device";
        } else if (event instanceof VolumeEvent.Formatted f) {
            return "formatted " + f.device() + " (" + f.fsType() + ")";
        } else if (event instanceof VolumeEvent.Mounted m) {
            return "mounted at " + m.mountPoint();
        } else if (event instanceof VolumeEvent.Unmounted u) {
            return "unmounted " + u.mountPoint();
        } else if (event instanceof VolumeEvent.Detached d) {
            return "detached from " + d.host();
        } else if (event instanceof VolumeEvent.Preempted p) {
            return "taken from " + p.preemption().from();
        } else if (event instanceof VolumeEvent.StaleMountCleaned s) {
            return "cleaned a stale mount at " + s.mount().mountPoint();
        }
        return "working";
    }

    private void tick() {
        while (!closed) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            draw();
        }
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        err.print("\r" + FRAMES.charAt(frame++ % FRAMES.length()) + " " + label + ": " + step
                + String.format(Locale.ROOT, " (%.1fs)", seconds) + "\u001b[K");
        err.flush();
    }

    /** Stops and erases the line. Idempotent. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            err.print("\r\u001b[K");
            err.flush();
        }
        ticker.interrupt();
    }
}
