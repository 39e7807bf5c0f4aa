package io.libstorage.cli.internal;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT for {@code service start}: instead of the JVM's default (run shutdown hooks, exit
 * status 143/130), the action runs once on its own thread, so that the service closes the plugin,
 * removes its socket and exits with status 0.
 */
public final class Signals {
    private Signals() {
    }

    /** Installs handlers for TERM and INT that run {@code action} once. */
    public static void onTermination(Runnable action) {
        AtomicBoolean fired = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (fired.compareAndSet(false, true)) {
                    Thread t = new Thread(action, "libstorage-termination");
                    t.setDaemon(false);
                    t.start();
                }
            });
        }
    }
}
