package io.libstorage.core;

import io.libstorage.api.Attachment;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeStatus;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.StorageOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What front ends learn from {@link LibStorage} alone: whether a mount added its consumer, a mounted
 * volume's state from this host without a back-end call (and only while this host's mount table confirms
 * it), and the back end's name, features and error context.
 */
class LocalAnswersTest {
    private static final ConsumerId TASK = ConsumerId.of("task-1");

    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final LibStorage a = InMemoryLibStorage.onHost(cluster, "A");

    @AfterEach
    void close() {
        cluster.close();
    }

    private long backEndCalls(String host) {
        return Arrays.stream(StorageOp.values()).mapToLong(op -> cluster.calls().count(new HostId(host), op)).sum();
    }

    @Test
    void aMountSaysWhetherItAddedItsConsumer() {
        assertThat(a.mount("v", TASK, MountOptions.DEFAULT).consumerAdded()).isTrue();
        assertThat(a.mount("v", TASK, MountOptions.DEFAULT).consumerAdded()).as("a repeated mount").isFalse();
        MountedVolume second = a.mount("v", ConsumerId.of("task-2"), MountOptions.DEFAULT);
        assertThat(second.consumerAdded()).isTrue();
        assertThat(second.consumers()).containsExactlyInAnyOrder(TASK, ConsumerId.of("task-2"));
    }

    @Test
    void aVolumeMountedHereIsDescribedWithoutABackEndCall() {
        MountedVolume m = a.mount("v", TASK, MountOptions.DEFAULT);
        a.create("elsewhere", a.defaultSpec());
        cluster.calls().reset();

        VolumeStatus here = a.mountedHere("v").orElseThrow();
        assertThat(a.path("v")).contains(m.path());
        assertThat(backEndCalls("A")).as("mountedHere and path of a mounted volume").isZero();

        assertThat(here.path()).contains(m.path());
        assertThat(here.consumers()).containsExactly(TASK);
        assertThat(here.volume().id()).isEqualTo(m.volume().id());
        assertThat(here.volume().name()).isEqualTo("v");
        assertThat(here.volume().spec()).isEqualTo(m.volume().spec());
        assertThat(here.volume().attachments()).extracting(Attachment::hostId).containsExactly(new HostId("A"));
        assertThat(here.problem()).isEmpty();

        assertThat(a.mountedHere("elsewhere")).as("not mounted here: the back end must answer").isEmpty();
        assertThat(a.mountedHere("missing")).isEmpty();
    }

    @Test
    void afterATakeoverTheOldHostNoLongerShowsItsMount() {
        LibStorage b = InMemoryLibStorage.onHost(cluster, "B");
        a.mount("v", TASK, MountOptions.DEFAULT);
        b.mount("v", ConsumerId.of("task-b"), MountOptions.builder().preemption(PreemptionPolicy.ALWAYS).build());

        // A's mount table still has the filesystem, but A's device of the volume is gone: nothing is mounted for A's consumer
        assertThat(a.mountedHere("v")).isEmpty();
        assertThat(a.path("v")).isEmpty();
        VolumeStatus s = a.inspect("v").orElseThrow();
        assertThat(s.volume().attachments()).extracting(Attachment::hostId).containsExactly(new HostId("B"));
        assertThat(s.path()).isEmpty();
        assertThat(s.consumers()).as("still recorded: its unmount or a reconcile releases it").containsExactly(TASK);
        assertThat(s.problem()).as("the record marked stale").hasValueSatisfying(p -> assertThat(p).contains("attached to [B]")
                .contains("stale"));
        assertThat(a.list()).singleElement().satisfies(l -> assertThat(l.path()).isEmpty());
    }

    @Test
    void theEntryPointNamesItsBackEndFeaturesAndErrorContext() {
        assertThat(a.backend()).isEqualTo("memory");
        assertThat(a.features()).contains(Feature.REMOTE_ATTACH);
        assertThat(a.errorContext("mount", "v").describe()).isEqualTo("operation=mount volume=v host=A backend=memory");
        assertThat(a.errorContext("list", null).describe()).isEqualTo("operation=list volume=? host=A backend=memory");
        cluster.disable(Feature.REMOTE_ATTACH);
        assertThat(a.features()).doesNotContain(Feature.REMOTE_ATTACH);
    }
}
