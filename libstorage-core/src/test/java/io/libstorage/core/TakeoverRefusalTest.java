package io.libstorage.core;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.MountOptions;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mount refused because another host has the volume says so in the caller's terms: the mount
 * failed, the volume is attached to host X, the back end reports X connected or not, and which
 * setting would allow taking it over.
 */
class TakeoverRefusalTest {
    private static final String POLICY_KEY = "libstorage.integration.volume.operations.mount.preemptionPolicy: IF_OWNER_UNREACHABLE";
    private InMemoryCluster cluster;
    private LibStorage a;
    private LibStorage b;

    @BeforeEach
    void setUp() {
        cluster = InMemoryCluster.create();
        a = InMemoryLibStorage.onHost(cluster, "A");
        b = InMemoryLibStorage.onHost(cluster, "B");
        a.mount("pgdata", ConsumerId.of("task-a"), MountOptions.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void aRefusedMountNamesTheOwnerItsStateAtTheBackEndAndTheSettingThatWouldAllowTakingIt() {
        long mutations = cluster.calls().mutations();

        assertThatThrownBy(() -> b.mount("pgdata", ConsumerId.of("task-b"), MountOptions.DEFAULT))
                .isInstanceOfSatisfying(VolumeAttachedToOtherHostException.class, e -> {
                    assertThat(e.getMessage()).startsWith("mount failed: volume is attached to another host 'A' (memory:connection reports A CONNECTED)")
                            .contains("pre-emption policy NEVER does not allow taking it")
                            .contains(POLICY_KEY)
                            .contains("the back end reports the owner connected, so that would be refused too")
                            .endsWith("[operation=mount volume=pgdata host=B backend=memory]");
                    assertThat(e.context().operation()).isEqualTo("mount");
                    assertThat(e.owners()).containsExactly(HostId.of("A"));
                    assertThat(e.evidence()).extracting(OwnerEvidence::liveness).containsExactly(Liveness.CONNECTED);
                    assertThat(e.policy()).isEqualTo(PreemptionPolicy.NEVER);
                });

        assertThat(cluster.calls().mutations()).isEqualTo(mutations);
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(HostId.of("A"));
    }

    @Test
    void whenTheOwnerIsGoneTheMessageSaysThatTheSettingWouldTakeItNow() {
        cluster.killHost("A");

        assertThatThrownBy(() -> b.mount("pgdata", ConsumerId.of("task-b"), MountOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageContaining("memory:connection reports A DISCONNECTED")
                .hasMessageContaining(POLICY_KEY)
                .hasMessageContaining("the back end reports the owner disconnected, so that would take it now");
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(HostId.of("A"));
    }

    @Test
    void aTakeoverRefusedBecauseTheOwnerIsAliveSaysWhatIfOwnerUnreachableNeeds() {
        MountOptions ifGone = MountOptions.builder().preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build();

        assertThatThrownBy(() -> b.mount("pgdata", ConsumerId.of("task-b"), ifGone))
                .isInstanceOfSatisfying(OwnerStillAliveException.class, e -> {
                    assertThat(e.getMessage()).startsWith("mount failed: volume is attached to another host 'A'")
                            .contains("memory:connection reports A CONNECTED")
                            .contains("IF_OWNER_UNREACHABLE takes a volume only from an unreachable owner")
                            .contains("report the owner disconnected").contains("declared dead")
                            .endsWith("[operation=mount volume=pgdata host=B backend=memory]");
                    assertThat(e.owner()).isEqualTo(HostId.of("A"));
                });
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(HostId.of("A"));
    }

    @Test
    void anExplicitAttachIsReportedAsTheAttachItIs() {
        assertThatThrownBy(() -> b.attach("pgdata", AttachOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageStartingWith("attach failed: volume is attached to another host 'A' (memory:connection reports A CONNECTED)")
                .hasMessageContaining("attach with the pre-emption policy IF_OWNER_UNREACHABLE")
                .hasMessageNotContaining("for every mount")
                .hasMessageContaining("volume=pgdata host=B backend=memory");
    }
}
