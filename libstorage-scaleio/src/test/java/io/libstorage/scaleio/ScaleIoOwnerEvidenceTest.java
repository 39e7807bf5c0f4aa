package io.libstorage.scaleio;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner grace period runs from the first time this host saw the owner's SDC Disconnected, and a restart of this
 * host's process in the middle of it does not start it again (the sighting is kept under stateDir). The clock is
 * the driver's: no test here waits for the grace period (one hour).
 */
class ScaleIoOwnerEvidenceTest {
    private static final Map<String, Object> ONE_HOUR = Map.of("ownerGracePeriod", "1h");

    private final EmulatedScaleIo sio = new EmulatedScaleIo(false, "a", "b");
    private final MutableClock clock = MutableClock.of(Instant.now().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);

    @AfterEach
    void close() {
        sio.close();
    }

    private StorageDriver hostA() {
        return sio.newDriver("a", ONE_HOUR, SystemProcessRunner.instance(), clock);
    }

    /** A volume attached to host b, whose process then dies. */
    private Volume attachedToADeadHostB() {
        try (StorageDriver b = sio.newDriver("b")) {
            Volume v = b.create("pgdata", VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build());
            b.attach(v.id(), b.hostSide().localHost(), AttachOptions.DEFAULT);
            sio.kill("b");
            return v;
        }
    }

    @Test
    void aRestartInTheMiddleOfTheGracePeriodDoesNotStartItAgain() {
        Volume v = attachedToADeadHostB();
        HostId b = new HostId(sio.guid("b"));
        Instant firstSeen = clock.instant();
        try (StorageDriver before = hostA()) {
            assertThat(before.ownerEvidence(b)).extracting(OwnerEvidence::liveness, OwnerEvidence::since)
                    .containsExactly(Liveness.DISCONNECTED, firstSeen);
        }
        clock.add(Duration.ofMinutes(40));                  // host a's process restarts 40 minutes in
        try (StorageDriver after = hostA()) {
            assertThat(after.ownerEvidence(b).since()).as("the grace period still runs from the first sighting").isEqualTo(firstSeen);
            clock.add(Duration.ofMinutes(21));              // 61 minutes after the first sighting: no wait is left
            AttachResult r = after.attach(v.id(), after.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
            assertThat(r.preemption()).hasValueSatisfying(p -> assertThat(p.evidence().since()).isEqualTo(firstSeen));
        }
    }

    @Test
    void aReconnectionOrAnUnwatchedGapLongerThanTheGracePeriodStartsANewOne() {
        attachedToADeadHostB();
        HostId b = new HostId(sio.guid("b"));
        try (StorageDriver a = hostA()) {
            Instant first = clock.instant();
            assertThat(a.ownerEvidence(b).since()).isEqualTo(first);
            clock.add(Duration.ofMinutes(61));              // nobody looked for longer than the grace period
            assertThat(a.ownerEvidence(b).since()).isEqualTo(clock.instant());

            sio.connect("b");
            assertThat(a.ownerEvidence(b).liveness()).isEqualTo(Liveness.CONNECTED);
            sio.kill("b");
            clock.add(Duration.ofMinutes(1));
            assertThat(a.ownerEvidence(b).since()).as("a reconnection ends the sighting").isEqualTo(clock.instant());
        }
    }
}
