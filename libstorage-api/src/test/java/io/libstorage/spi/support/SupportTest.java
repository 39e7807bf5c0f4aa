package io.libstorage.spi.support;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.Preemption;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupportTest {
    private final ErrorContext ctx = ErrorContext.of("test", "v", "h", "b");

    @Test
    void processesRunWithArgumentListsAndReportFailuresWithStderr() {
        ProcessResult ok = SystemProcessRunner.instance().run(ctx, List.of("sh", "-c", "echo out; echo err >&2; exit 3", "x"),
                Duration.ofSeconds(10));
        assertThat(ok.exitCode()).isEqualTo(3);
        assertThat(ok.stdout()).isEqualTo("out\n");
        assertThat(ok.stderr()).isEqualTo("err\n");
        assertThatThrownBy(() -> ok.requireSuccess(ctx)).hasMessageContaining("exited 3: err");
        ProcessResult literal = SystemProcessRunner.instance().run(ctx, List.of("echo", "$(id); rm -rf /"), Duration.ofSeconds(10));
        assertThat(literal.stdout()).isEqualTo("$(id); rm -rf /\n");
    }

    @Test
    void aCommandPastItsDeadlineIsKilled() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> SystemProcessRunner.instance().run(ctx, List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOf(OperationTimeoutException.class).hasMessageContaining("sleep 30");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aMissingCommandIsAClearError() {
        assertThatThrownBy(() -> SystemProcessRunner.instance().run(ctx, List.of("/no/such/binary"), Duration.ofSeconds(5)))
                .hasMessageContaining("could not start '/no/such/binary'");
    }

    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "one".getBytes());
        AtomicFiles.write(f, "two".getBytes());
        assertThat(Files.readString(f)).isEqualTo("two");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
        AtomicFiles.delete(f);
        AtomicFiles.delete(f);
        assertThat(f).doesNotExist();
    }

    @Test
    void aWriteSharingTheDirectorySyncReplacesTheWholeFileAsWell(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "one".getBytes());
        AtomicFiles.writeSharingDirectorySync(f, "two".getBytes());
        assertThat(Files.readString(f)).isEqualTo("two");
        AtomicFiles.writeSharingDirectorySync(dir.resolve("new.json"), "three".getBytes());
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactlyInAnyOrder(f, dir.resolve("new.json"));
        }
        assertThat(Files.readString(dir.resolve("new.json"))).isEqualTo("three");
    }

    @Test
    void aPreparedWriteIsInvisibleUntilPublishedAndLeavesNothingWhenClosedUnpublished(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rec.json");
        AtomicFiles.write(f, "old".getBytes());
        try (AtomicFiles.Prepared p = AtomicFiles.prepare(f, "dropped".getBytes())) {
            assertThat(Files.readString(f)).isEqualTo("old");
            assertThat(AtomicFiles.temporaries(dir)).hasSize(1);
        }
        assertThat(AtomicFiles.temporaries(dir)).isEmpty();
        Overlap.Pending<AtomicFiles.Prepared> beside = Overlap.start(() -> AtomicFiles.prepare(f, "new".getBytes()));
        try (AtomicFiles.Prepared p = beside.joinIo()) {
            p.publish(true);
        }
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(AtomicFiles.temporaries(dir)).isEmpty();
    }

    @Test
    void aWritePreparedBesideIsPublishedOrLeavesNothingAndItsFailureReachesThePublisher(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rec.json");
        AtomicFiles.write(f, "old".getBytes());
        try (AtomicFiles.Beside dropped = AtomicFiles.prepareBeside(f, "dropped"::getBytes)) {
            assertThat(Files.readString(f)).isEqualTo("old");
        }
        assertThat(AtomicFiles.temporaries(dir)).isEmpty();
        try (AtomicFiles.Beside kept = AtomicFiles.prepareBeside(f, "new"::getBytes)) {
            kept.publish(true);
        }
        assertThat(Files.readString(f)).isEqualTo("new");
        try (AtomicFiles.Beside failed = AtomicFiles.prepareBeside(f, () -> {
            throw new java.io.IOException("cannot serialise");
        })) {
            assertThatThrownBy(() -> failed.publish(true)).isInstanceOf(java.io.IOException.class).hasMessage("cannot serialise");
        }
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(AtomicFiles.temporaries(dir)).isEmpty();
    }

    @Test
    void anOverlappedStepThrowsWhatItThrew() {
        Overlap.Pending<Object> io = Overlap.start(() -> {
            throw new java.io.IOException("disk gone");
        });
        assertThatThrownBy(io::joinIo).isInstanceOf(java.io.IOException.class).hasMessage("disk gone");
        Overlap.Pending<Object> error = Overlap.start(() -> {
            throw new AssertionError("crash");
        });
        assertThatThrownBy(error::join).isInstanceOf(AssertionError.class).hasMessage("crash");
    }

    @Test
    void theTemporaryFileOfAnAtomicWriteAddsAFixedLengthToTheTargetName(@TempDir Path dir) throws Exception {
        // the longest target whose temporary file still fits in a file name of 255 bytes
        Path f = dir.resolve("s".repeat(255 - AtomicFiles.TEMPORARY_NAME_OVERHEAD));
        for (int i = 0; i < 50; i++) {
            AtomicFiles.write(f, ("round " + i).getBytes());
        }
        assertThat(Files.readString(f)).isEqualTo("round 49");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
        assertThat(Files.getPosixFilePermissions(f)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theTemporaryFilesOfInterruptedWritesAreFoundPerTargetAndDeletedOnlyForIt(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path dotted = dir.resolve("a.json.1.json");
        Path ofA = Files.writeString(dir.resolve(".a.json.123.tmp"), "{");
        Path ofDotted = Files.writeString(dir.resolve(".a.json.1.json.77.tmp"), "");
        Path unrelated = Files.writeString(dir.resolve(".a.json.tmp"), "");
        AtomicFiles.write(a, "whole".getBytes());
        assertThat(AtomicFiles.targetOfTemporary(ofA)).contains("a.json");
        assertThat(AtomicFiles.targetOfTemporary(ofDotted)).contains("a.json.1.json");
        assertThat(AtomicFiles.targetOfTemporary(unrelated)).isEmpty();
        assertThat(AtomicFiles.targetOfTemporary(a)).isEmpty();
        assertThat(AtomicFiles.temporaries(dir)).containsExactly(ofDotted, ofA);

        assertThat(AtomicFiles.deleteTemporariesOf(a)).containsExactly(ofA);
        assertThat(ofDotted).exists();
        assertThat(AtomicFiles.deleteTemporariesOf(dotted)).containsExactly(ofDotted);
        assertThat(a).hasContent("whole");
        assertThat(unrelated).exists();
        assertThat(AtomicFiles.deleteTemporariesOf(dir.resolve("missing-dir").resolve("x.json"))).isEmpty();
    }

    private Volume volumeOwnedBy(HostId owner) {
        VolumeId id = new VolumeId("v1");
        return new Volume(id, "data", VolumeSpec.builder().sizeBytes(1).build(), 1,
                List.of(new Attachment(id, owner, "t", AttachmentState.ATTACHED, null)), Map.of(), null, "b");
    }

    @Test
    void preemptionDecisionsFollowThePolicyAndTheEvidence() {
        HostId a = new HostId("a");
        HostId b = new HostId("b");
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Volume v = volumeOwnedBy(a);
        OwnerEvidence alive = new OwnerEvidence(a, Liveness.CONNECTED, null, "array");
        OwnerEvidence deadLongAgo = new OwnerEvidence(a, Liveness.DISCONNECTED, now.minusSeconds(60), "array");
        OwnerEvidence deadJustNow = new OwnerEvidence(a, Liveness.DISCONNECTED, now.minusSeconds(1), "array");
        OwnerEvidence unknown = new OwnerEvidence(a, Liveness.UNKNOWN, null, "array");
        Duration grace = Duration.ofSeconds(10);

        assertThatThrownBy(() -> Preemptions.authorize(ctx, v, b, AttachOptions.DEFAULT, h -> alive, grace, clock))
                .isInstanceOf(VolumeAttachedToOtherHostException.class).hasMessageContaining("'a'");
        AttachOptions ifGone = AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        assertThatThrownBy(() -> Preemptions.authorize(ctx, v, b, ifGone, h -> alive, grace, clock))
                .isInstanceOf(OwnerStillAliveException.class);
        assertThatThrownBy(() -> Preemptions.authorize(ctx, v, b, ifGone, h -> unknown, grace, clock))
                .isInstanceOf(OwnerStillAliveException.class);
        assertThatThrownBy(() -> Preemptions.authorize(ctx, v, b, ifGone, h -> deadJustNow, grace, clock))
                .as("disconnected for less than the grace period").isInstanceOf(OwnerStillAliveException.class);
        List<Preemption> taken = Preemptions.authorize(ctx, v, b, ifGone, h -> deadLongAgo, grace, clock);
        assertThat(taken).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo(a);
            assertThat(p.to()).isEqualTo(b);
            assertThat(p.evidence()).isEqualTo(deadLongAgo);
        });
        List<Preemption> declared = Preemptions.authorize(ctx, v, b, new AttachOptions(PreemptionPolicy.IF_OWNER_UNREACHABLE, Set.of(a)),
                h -> alive, grace, clock);
        assertThat(declared).singleElement().satisfies(p -> assertThat(p.evidence().source()).isEqualTo("caller"));
        assertThat(Preemptions.authorize(ctx, v, b, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS), h -> alive, grace, clock))
                .hasSize(1);
        assertThat(Preemptions.authorize(ctx, v, a, AttachOptions.DEFAULT, h -> alive, grace, clock)).isEmpty();
    }
}
