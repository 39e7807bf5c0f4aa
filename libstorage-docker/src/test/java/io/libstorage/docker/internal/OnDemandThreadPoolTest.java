package io.libstorage.docker.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnDemandThreadPoolTest {
    private OnDemandThreadPool pool;

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(Duration.ofSeconds(10));
        }
    }

    @Test
    void callsOneAfterTheOtherReuseOneThread() throws InterruptedException {
        pool = new OnDemandThreadPool("t", 16, Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            CompletableFuture.runAsync(() -> { }, pool).join();
            awaitAllIdle();
        }
        assertThat(pool.threadCount()).isEqualTo(1);
    }

    /** Until the thread that completed a future is back waiting (it completes the future before it returns). */
    private void awaitAllIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.idleCount() < pool.threadCount() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(pool.idleCount()).isEqualTo(pool.threadCount());
    }

    @Test
    void concurrentTasksGetAThreadEachUpToTheMaximumAndTheRestWait() throws Exception {
        pool = new OnDemandThreadPool("t", 3, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            all.add(CompletableFuture.runAsync(() -> {
                most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                synchronized (order) {
                    order.add(n);
                }
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                concurrent.decrementAndGet();
            }, pool));
        }
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threadCount()).isEqualTo(3);
        synchronized (order) {
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2);
        }
        release.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(most.get()).isEqualTo(3);
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(pool.threadCount()).isEqualTo(3);
    }

    @Test
    void idleThreadsEndAfterTheKeepAliveAndNewWorkStartsOneAgain() throws Exception {
        pool = new OnDemandThreadPool("t", 4, Duration.ofMillis(20));
        CountDownLatch both = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                both.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threadCount()).isEqualTo(2);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.threadCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.threadCount()).isZero();
        CompletableFuture.runAsync(() -> { }, pool).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aShutdownRunsWhatIsQueuedRefusesNewTasksAndEnds() throws Exception {
        pool = new OnDemandThreadPool("t", 1, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        pool.execute(ran::incrementAndGet);
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(pool.awaitTermination(Duration.ofMillis(1))).isFalse();
        release.countDown();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(ran.get()).isEqualTo(2);
        assertThat(pool.threadCount()).isZero();
    }

    @Test
    void shutdownNowDropsQueuedTasksAndInterruptsRunningOnes() throws Exception {
        pool = new OnDemandThreadPool("t", 1, Duration.ofMinutes(1));
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger ranQueued = new AtomicInteger();
        pool.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        pool.execute(ranQueued::incrementAndGet);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(interrupted.get()).isEqualTo(1);
        assertThat(ranQueued.get()).isZero();
    }
}
