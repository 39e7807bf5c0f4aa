package io.libstorage.spi.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link InterProcessLockTest}.
 *
 * <ul>
 *   <li>{@code hold <lockFile> <key> <marker>}: acquires the key's lock, creates {@code marker}, and
 *       holds the lock until standard input closes (or the process is killed).</li>
 *   <li>{@code count <lockFile> <key> <counterFile> <times> <keysToChurn>}: {@code times} times,
 *       increments the number in {@code counterFile} by a read and a write under the key's lock
 *       (losing updates unless the lock excludes the parent), and in between acquires and releases
 *       {@code keysToChurn} other keys.</li>
 * </ul>
 */
public final class LockChild {
    private LockChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        String key = args[2];
        switch (args[0]) {
            case "hold" -> {
                try (InterProcessLock held = InterProcessLock.acquire(file, key, Duration.ofSeconds(60)).orElseThrow()) {
                    Files.writeString(Path.of(args[3]), "held");
                    while (System.in.read() >= 0) {
                        // until the parent closes our standard input
                    }
                }
            }
            case "count" -> count(file, key, Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), "child");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** The counting loop, shared with the parent so both sides do exactly the same. */
    static void count(Path file, String key, Path counter, int times, int keysToChurn, String who) throws IOException {
        for (int i = 0; i < times; i++) {
            try (InterProcessLock held = InterProcessLock.acquire(file, key, Duration.ofSeconds(60)).orElseThrow()) {
                String text = Files.readString(counter).strip();
                if (!text.matches("[0-9]+")) {
                    throw new IllegalStateException(who + " read a half-written counter '" + text + "': two holders at once");
                }
                int n = Integer.parseInt(text);
                Thread.yield();
                Files.writeString(counter, Integer.toString(n + 1));
            }
            for (int k = 0; k < keysToChurn; k++) {
                try (InterProcessLock other = InterProcessLock.acquire(file, who + "-" + i + "-" + k, Duration.ofSeconds(60)).orElseThrow()) {
                    assert other != null;
                }
            }
        }
    }
}
