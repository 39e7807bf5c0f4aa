package io.libstorage.cli.internal.service;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pid file and the ready file of {@code service start}, in-process. */
class PidFileTest {
    private static final ErrorContext CTX = ErrorContext.of("start docker plugin t");
    @TempDir
    Path dir;

    @Test
    void namesThisProcessWhileHeldAndIsRemovedOnClose() throws Exception {
        Path file = dir.resolve("run/service/t.pid");
        try (PidFile held = PidFile.acquire(file, CTX)) {
            assertThat(held.path()).isEqualTo(file);
            assertThat(Files.readString(file)).isEqualTo(ProcessHandle.current().pid() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("run/service/t.pid.lock")).as("the lock file is never deleted").exists();
    }

    @Test
    void aSecondHolderIsRefusedNamingTheFirstAndChangesNothing() throws Exception {
        Path file = dir.resolve("t.pid");
        try (PidFile held = PidFile.acquire(file, CTX)) {
            // another thread stands for another process: the lock is exclusive across threads too
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> PidFile.acquire(file, CTX));
            assertThat(second).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingCause().isInstanceOf(OperationFailedException.class)
                    .withMessageContaining("another service holds " + file + ".lock (pid " + ProcessHandle.current().pid());
            assertThat(Files.readString(file)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
    }

    @Test
    void closeLeavesAPidFileThatNamesAnotherProcess() throws Exception {
        Path file = dir.resolve("t.pid");
        PidFile held = PidFile.acquire(file, CTX);
        Files.writeString(file, "1\n");
        held.close();
        assertThat(Files.readString(file)).isEqualTo("1\n");
        // and the lock was released
        PidFile.acquire(file, CTX).close();
    }

    @Test
    void theReadyFileIsWrittenWhenReadyAndRemovedAtStopAndALeftoverIsForgottenFirst() throws Exception {
        Path ready = dir.resolve("t.ready");
        Files.writeString(ready, "pid=1\nsocket=/old\n"); // left by a killed service
        Readiness readiness = Readiness.of(Map.of(), ready, (ctx, command, timeout) -> {
            throw new AssertionError("no process without NOTIFY_SOCKET: " + command);
        });
        readiness.notReadyYet(CTX);
        assertThat(ready).doesNotExist();
        readiness.ready(Path.of("/run/docker/plugins/t.sock"), CTX);
        assertThat(Files.readString(ready)).isEqualTo("pid=" + ProcessHandle.current().pid() + "\nsocket=/run/docker/plugins/t.sock\n");
        readiness.stopped();
        assertThat(ready).doesNotExist();
    }

    @Test
    void withNotifySocketReadinessIsSystemdNotifyWithTheSocketInItsEnvironment() {
        List<List<String>> run = new ArrayList<>();
        Readiness readiness = Readiness.of(Map.of("NOTIFY_SOCKET", "@/org/test/notify"), dir.resolve("t.ready"), (ctx, command, timeout) -> {
            run.add(command);
            return new ProcessResult(command, 1, "", "No such file or directory", timeout);
        });
        assertThatThrownBy(() -> readiness.ready(Path.of("/s.sock"), CTX)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("systemd-notify --ready").hasMessageContaining("exited 1");
        assertThat(run).containsExactly(List.of("env", "NOTIFY_SOCKET=@/org/test/notify", "systemd-notify", "--ready",
                "--status=serving on /s.sock"));
        assertThat(dir.resolve("t.ready")).doesNotExist();
    }
}
