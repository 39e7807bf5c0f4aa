package io.libstorage.core.internal.state;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.support.InterProcessLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeLocksTest {
    private final ErrorContext ctx = ErrorContext.of("test", "v", "h", "b");

    @Test
    void oneVolumeIsSerialisedAcrossThreadsAndOthersAreNot(@TempDir Path root) throws Exception {
        VolumeLocks locks = new VolumeLocks(root, Duration.ofSeconds(10));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Runnable work = () -> {
            try (VolumeLocks.Held h = locks.acquire("v", ctx)) {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Thread.sleep(5);
                inside.decrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<?>[] all = new CompletableFuture<?>[8];
        for (int i = 0; i < all.length; i++) {
            all[i] = CompletableFuture.runAsync(work);
        }
        CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
        assertThat(maxInside.get()).isEqualTo(1);
        try (VolumeLocks.Held v = locks.acquire("v", ctx)) {
            // another thread: one lock for every volume would make it wait for "v" and time out
            VolumeLocks quick = new VolumeLocks(root, Duration.ofMillis(500));
            assertThat(CompletableFuture.supplyAsync(() -> {
                try (VolumeLocks.Held w = quick.acquire("w", ctx)) {
                    return true;
                }
            }).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(CompletableFuture.supplyAsync(() -> {
                try (VolumeLocks.Held again = quick.acquire("v", ctx)) {
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).get(30, TimeUnit.SECONDS)).isInstanceOf(OperationTimeoutException.class);
        }
    }

    @Test
    void manyNamesLeaveOneLockFileAndNoLockObjects(@TempDir Path root) throws Exception {
        VolumeLocks locks = new VolumeLocks(root, Duration.ofSeconds(10));
        int before = InterProcessLock.inUse();
        for (int i = 0; i < 10_000; i++) {
            try (VolumeLocks.Held h = locks.acquire("nosuch-" + i, ctx)) {
                assertThat(h).isNotNull();
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(root.resolve("volumes.lock"));
        }
        assertThat(InterProcessLock.inUse()).isEqualTo(before);
    }

    @Test
    void twoInstancesOnOneStateRootExcludeEachOther(@TempDir Path root) throws Exception {
        VolumeLocks first = new VolumeLocks(root, Duration.ofSeconds(10));
        VolumeLocks second = new VolumeLocks(root, Duration.ofMillis(200));
        try (VolumeLocks.Held v = first.acquire("v", ctx)) {
            assertThat(CompletableFuture.supplyAsync(() -> {
                try (VolumeLocks.Held other = second.acquire("v", ctx)) {
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).get(30, TimeUnit.SECONDS)).isInstanceOf(OperationTimeoutException.class);
        }
    }

    @Test
    void waitingIsBoundedAndTheLockIsReleasedAfterAFailure(@TempDir Path root) throws Exception {
        VolumeLocks locks = new VolumeLocks(root, Duration.ofMillis(200));
        VolumeLocks.Held held = locks.acquire("v", ctx);
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try (VolumeLocks.Held h = locks.acquire("v", ctx)) {
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(OperationTimeoutException.class);
        held.close();
        assertThatThrownBy(() -> {
            try (VolumeLocks.Held h = locks.acquire("v", ctx)) {
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> {
            try (VolumeLocks.Held h = locks.acquire("v", ctx)) {
                return true;
            }
        });
        assertThat(next.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void reentrantAcquisitionByOneThreadDoesNotDeadlock(@TempDir Path root) {
        VolumeLocks locks = new VolumeLocks(root, Duration.ofMillis(500));
        try (VolumeLocks.Held outer = locks.acquire("v", ctx); VolumeLocks.Held inner = locks.acquire("v", ctx)) {
            assertThat(inner).isNotNull();
        }
    }
}
