package io.libstorage.emulator.vbox.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the work behind progress objects on a background thread after the configured delay, as VBoxSVC runs medium
 * tasks asynchronously. The next N progresses can be made to fail with a given error (their work is then rolled
 * back instead of done).
 */
final class Progresses implements AutoCloseable {
    /** The work of one progress; both methods run under the model lock. */
    interface Task {
        /** Does the work; a {@link ComError} fails the progress with that error. */
        void run();

        /** Undoes the state change made when the task was started (an injected failure). */
        void rollback();
    }

    private final Object lock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vbox-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration delay = Duration.ZERO;
    private int failuresLeft;
    private ErrorInfo injected;

    Progresses(Object lock) {
        this.lock = lock;
    }

    void delay(Duration d) {
        delay = d;
    }

    Duration delay() {
        return delay;
    }

    /** The next {@code n} progresses fail with this result code and text. */
    synchronized void failNext(int n, int resultCode, String text) {
        failuresLeft = n;
        injected = new ErrorInfo(resultCode, text, "Medium", "", null);
    }

    Progress start(String description, Task task) {
        Progress p = new Progress(description);
        ErrorInfo fail = takeInjectedFailure();
        executor.schedule(() -> {
            synchronized (lock) {
                if (fail != null) {
                    task.rollback();
                    p.fail(fail);
                    return;
                }
                try {
                    task.run();
                    p.succeed();
                } catch (ComError e) {
                    p.fail(ErrorInfo.of(e, ""));
                } catch (RuntimeException e) {
                    p.fail(new ErrorInfo(ComError.E_FAIL, "Internal error: " + e, "Medium", "", null));
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    private synchronized ErrorInfo takeInjectedFailure() {
        if (failuresLeft <= 0) {
            return null;
        }
        failuresLeft--;
        return injected;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
