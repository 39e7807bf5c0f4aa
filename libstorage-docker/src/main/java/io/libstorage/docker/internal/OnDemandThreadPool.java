package io.libstorage.docker.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * At most {@code maxThreads} daemon threads running submitted tasks in order of submission, where a thread is
 * started only when no started one is idle (a {@code ThreadPoolExecutor} with a core size starts a thread per
 * submission until it has them all, so a plugin under a steady load of four callers kept sixteen). A thread idle
 * for {@code keepAlive} ends; tasks beyond {@code maxThreads} wait in an unbounded queue. Thread-safe.
 */
final class OnDemandThreadPool implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(OnDemandThreadPool.class);

    private final String name;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Set<Thread> threads = new HashSet<>();
    private int idle;
    private int started;
    private boolean shutdown;

    OnDemandThreadPool(String name, int maxThreads, Duration keepAlive) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
        }
        this.name = name;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** Queues {@code task}; starts a thread when more tasks wait than threads are idle and fewer than the maximum run. */
    @Override
    public synchronized void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException(name + " is shut down");
        }
        queue.add(task);
        if (queue.size() > idle && threads.size() < maxThreads) {
            Thread t = new Thread(this::work, name + "-" + ++started);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        } else {
            notify();
        }
    }

    private void work() {
        while (true) {
            Runnable task = next();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a task of {} failed", name, e);
            }
        }
    }

    /** The next task, or null when this thread ends (idle for the keep-alive time, or shut down with nothing left). */
    private synchronized Runnable next() {
        long deadline = System.nanoTime() + keepAliveNanos;
        while (true) {
            Runnable task = queue.poll();
            if (task != null) {
                return task;
            }
            long left = deadline - System.nanoTime();
            if (shutdown || left <= 0) {
                threads.remove(Thread.currentThread());
                notifyAll();
                return null;
            }
            idle++;
            try {
                wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                // shutdownNow: the loop sees the shutdown
            } finally {
                idle--;
            }
        }
    }

    /** Accepts no more tasks; queued ones still run. Idempotent. */
    synchronized void shutdown() {
        shutdown = true;
        notifyAll();
    }

    /** As {@link #shutdown} and drops the queued tasks and interrupts the running ones. */
    synchronized void shutdownNow() {
        shutdown = true;
        queue.clear();
        threads.forEach(Thread::interrupt);
        notifyAll();
    }

    synchronized boolean isShutdown() {
        return shutdown;
    }

    /** Waits up to {@code timeout} for every thread to end after a shutdown; true when they all did. */
    synchronized boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(shutdown && threads.isEmpty())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
    }

    /** Threads waiting for a task. */
    synchronized int idleCount() {
        return idle;
    }

    /** Threads started and not yet ended. */
    synchronized int threadCount() {
        return threads.size();
    }
}
