package io.libstorage.virtualbox.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One logon: its {@code IVirtualBox} reference, its generation (for single-flight re-logon), and how many pieces of
 * work hold each reference it handed out. vboxwebsrv gives every holder of an object the same reference, so a
 * reference is only released when its last holder is done, and never while a call that may hand it out again is in
 * flight: calls that return references run under the read lock, releases under the write lock.
 */
final class Websession {
    private final Ref vbox;
    private final long generation;
    private final Map<String, Integer> holders = new HashMap<>();
    private final ReadWriteLock handOut = new ReentrantReadWriteLock();
    private volatile boolean dead;

    Websession(Ref vbox, long generation) {
        this.vbox = vbox;
        this.generation = generation;
    }

    Ref vbox() {
        return vbox;
    }

    long generation() {
        return generation;
    }

    /** Runs a call that returns references (and the holds on them) while no release can be sent. */
    <T> T handingOut(Supplier<T> call) {
        handOut.readLock().lock();
        try {
            return call.get();
        } finally {
            handOut.readLock().unlock();
        }
    }

    /** The web service no longer knows this websession: its references need no release. */
    void markDead() {
        dead = true;
    }

    /** Drops one hold on {@code ref} and, if it was the last, runs {@code release} while no call can hand it out. */
    void dropAndRelease(Ref ref, Runnable release) {
        handOut.writeLock().lock();
        try {
            if (drop(ref) && !dead) {
                release.run();
            }
        } finally {
            handOut.writeLock().unlock();
        }
    }

    synchronized void hold(Ref ref) {
        holders.merge(ref.id(), 1, Integer::sum);
    }

    private synchronized boolean drop(Ref ref) {
        Integer n = holders.get(ref.id());
        if (n == null) {
            return false;
        }
        if (n <= 1) {
            holders.remove(ref.id());
            return true;
        }
        holders.put(ref.id(), n - 1);
        return false;
    }
}
