package io.libstorage.docker;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpThreadsTest {
    /**
     * After a burst that started every thread of the pool, all those beyond the minimum end one idle period later, not
     * one per idle period (Jetty's default: 7 threads would take 7 periods). The bound below is 4 periods, so a slow
     * machine has 3 periods of slack and Jetty's default still cannot pass.
     */
    @Test
    void aBurstsThreadsAllEndAfterOneIdlePeriod() throws Exception {
        Duration idle = Duration.ofMillis(500);
        QueuedThreadPool pool = DockerVolumePlugin.httpThreads("t-http", idle);
        pool.start();
        try {
            int max = pool.getMaxThreads();
            CountDownLatch started = new CountDownLatch(max);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < max; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.getThreads()).isEqualTo(max);
            release.countDown();
            long released = System.nanoTime();
            while (pool.getThreads() > pool.getMinThreads() && System.nanoTime() - released < idle.multipliedBy(4).toNanos()) {
                Thread.sleep(20);
            }
            assertThat(pool.getThreads()).as("threads 4 idle periods after the burst").isEqualTo(pool.getMinThreads());
            assertThat(pool.getReservedThreads()).isZero();
        } finally {
            pool.stop();
        }
    }
}
