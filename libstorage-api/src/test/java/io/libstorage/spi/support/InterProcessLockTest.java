package io.libstorage.spi.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class InterProcessLockTest {

    @Test
    void waitingIsBoundedAndTheLockIsReleasedOnClose(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("x.lock");
        try (InterProcessLock held = InterProcessLock.acquire(lockFile, Duration.ofSeconds(1)).orElseThrow()) {
            long start = System.nanoTime();
            assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, Duration.ofMillis(200)))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
        assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, Duration.ofMillis(10)))).isPresent();
    }

    @Test
    void aKeyExcludesOtherThreadsButLeavesOtherKeysFree(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        try (InterProcessLock v = InterProcessLock.acquire(lockFile, "v", Duration.ofSeconds(1)).orElseThrow()) {
            assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, "v", Duration.ofMillis(200)))).isEmpty();
            // a single lock for all keys would make this one wait and time out
            assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, "w", Duration.ofSeconds(5)))).isPresent();
            // the whole file covers every key
            assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, Duration.ofMillis(200)))).isEmpty();
        }
    }

    @Test
    void theHoldingThreadMayAcquireAgainAndReleasesOnItsLastClose(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        InterProcessLock outer = InterProcessLock.acquire(lockFile, "v", Duration.ofSeconds(1)).orElseThrow();
        InterProcessLock inner = InterProcessLock.acquire(lockFile, "v", Duration.ofMillis(100)).orElseThrow();
        inner.close();
        inner.close();
        assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, "v", Duration.ofMillis(100)))).isEmpty();
        outer.close();
        assertThat(inOtherThread(() -> InterProcessLock.acquire(lockFile, "v", Duration.ofSeconds(5)))).isPresent();
    }

    @Test
    void manyKeysLeaveOneFileAndNothingInMemory(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        int before = InterProcessLock.inUse();
        for (int i = 0; i < 20_000; i++) {
            try (InterProcessLock l = InterProcessLock.acquire(lockFile, "volume-" + i, Duration.ofSeconds(5)).orElseThrow()) {
                assertThat(InterProcessLock.inUse()).isEqualTo(before + 1);
            }
        }
        assertThat(InterProcessLock.inUse()).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(lockFile);
        }
    }

    @Test
    void manyThreadsOnFewKeysAreSerialisedPerKey(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        int keys = 5;
        int threads = 8;
        int rounds = 300;
        int[] counters = new int[keys];
        AtomicInteger[] inside = new AtomicInteger[keys];
        AtomicInteger maxInside = new AtomicInteger();
        for (int k = 0; k < keys; k++) {
            inside[k] = new AtomicInteger();
        }
        int before = InterProcessLock.inUse();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        int k = (r + offset) % keys;
                        try (InterProcessLock l = InterProcessLock.acquire(lockFile, "key-" + k, Duration.ofSeconds(30)).orElseThrow()) {
                            maxInside.accumulateAndGet(inside[k].incrementAndGet(), Math::max);
                            int n = counters[k];
                            Thread.yield();
                            counters[k] = n + 1;
                            inside[k].decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counters).sum()).isEqualTo(threads * rounds);
        assertThat(InterProcessLock.inUse()).isEqualTo(before);
    }

    @Test
    void anotherProcessHoldingAKeyExcludesThisOneUntilItDies(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        Path marker = dir.resolve("held");
        Process child = child("hold", lockFile.toString(), "v", marker.toString());
        try {
            awaitFile(child, marker);
            assertThat(InterProcessLock.acquire(lockFile, "v", Duration.ofMillis(300))).isEmpty();
            try (InterProcessLock w = InterProcessLock.acquire(lockFile, "w", Duration.ofSeconds(5)).orElseThrow()) {
                assertThat(w).isNotNull();
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (InterProcessLock v = InterProcessLock.acquire(lockFile, "v", Duration.ofSeconds(10)).orElseThrow()) {
                assertThat(v).isNotNull();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Two processes increment one counter under one key, a read and a write each time, while both
     * churn through other keys of the same file: every lost update would show a broken exclusion.
     */
    @Test
    void twoProcessesNeverHoldOneKeyAtOnce(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("keys.lock");
        Path counter = dir.resolve("counter");
        Files.writeString(counter, "0");
        int times = 400;
        Process child = child("count", lockFile.toString(), "shared", counter.toString(), Integer.toString(times), "3");
        try {
            LockChild.count(lockFile, "shared", counter, times, 3, "parent");
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes())).isZero();
        } finally {
            child.destroyForcibly();
        }
        assertThat(Files.readString(counter).strip()).isEqualTo(Integer.toString(2 * times));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(lockFile, counter);
        }
    }

    private static Optional<InterProcessLock> inOtherThread(LockCall call) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Optional<InterProcessLock> l = call.acquire();
                l.ifPresent(InterProcessLockTest::closeQuietly);
                return l;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    private static void closeQuietly(InterProcessLock l) {
        try {
            l.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface LockCall {
        Optional<InterProcessLock> acquire() throws IOException;
    }

    private static Process child(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), LockChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void awaitFile(Process child, Path marker) throws Exception {
        // a bound on waiting, not a timing assertion
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(marker)) {
            if (!child.isAlive()) {
                fail("the child exited " + child.exitValue() + ": " + new String(child.getInputStream().readAllBytes()));
            }
            if (System.nanoTime() > deadline) {
                fail("the child did not take the lock");
            }
            Thread.sleep(10);
        }
    }
}
