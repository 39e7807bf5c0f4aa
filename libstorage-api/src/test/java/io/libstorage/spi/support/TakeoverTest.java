package io.libstorage.spi.support;

import io.libstorage.api.AccessMode;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.UnsafeMultiMappingException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.VolumeMapping;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one order of an attach, over scripted primitives: what it asks, in which order, and what it never does. */
class TakeoverTest {
    private static final HostId ME = HostId.of("me");
    private static final HostId OWNER = HostId.of("owner");
    private static final HostId THIRD = HostId.of("third");

    /** A back end of one volume whose primitives record what they are asked. */
    private static final class Scripted implements VolumeMapping {
        final Set<HostId> mapped = new LinkedHashSet<>();
        final List<String> calls = new ArrayList<>();
        AccessMode mode = AccessMode.SINGLE_HOST_READ_WRITE;
        Liveness ownerLiveness = Liveness.CONNECTED;
        boolean loseUnmaps;
        boolean failUnmaps;
        boolean refuseMap;
        boolean hideMap;
        boolean mapIsItsOwnProof;

        Scripted(HostId... hosts) {
            mapped.addAll(List.of(hosts));
        }

        @Override
        public ErrorContext context() {
            return ErrorContext.of("attach", "v", ME.value(), "scripted");
        }

        @Override
        public Volume read() {
            calls.add("read " + mapped);
            List<Attachment> atts = mapped.stream().map(h -> new Attachment(VolumeId.of("v-id"), h, "t", AttachmentState.ATTACHED, null)).toList();
            return new Volume(VolumeId.of("v-id"), "v", VolumeSpec.builder().sizeBytes(1 << 20).accessMode(mode).build(), 1 << 20,
                    atts, Map.of(), null, "scripted");
        }

        @Override
        public OwnerEvidence evidence(HostId owner) {
            calls.add("evidence " + owner);
            return new OwnerEvidence(owner, ownerLiveness, null, "scripted");
        }

        @Override
        public void unmap(HostId owner) {
            calls.add("unmap " + owner);
            if (failUnmaps) {
                throw new BackendUnavailableException(context(), "no route to the back end", true, null);
            }
            if (!loseUnmaps) {
                mapped.remove(owner);
            }
        }

        @Override
        public boolean map(HostId target, boolean exclusive) {
            calls.add("map " + target + (exclusive ? " exclusive" : ""));
            if (refuseMap) {
                mapped.add(THIRD);
                return false;
            }
            if (!hideMap) {
                mapped.add(target);
            }
            return true;
        }

        @Override
        public Optional<Volume> acknowledgedMap(Volume before, HostId target) {
            if (!mapIsItsOwnProof) {
                return Optional.empty();
            }
            calls.add("acknowledged " + target + " over " + before.attachments().stream().map(Attachment::hostId).toList());
            List<Attachment> atts = new ArrayList<>(before.attachments());
            atts.add(new Attachment(VolumeId.of("v-id"), target, "t", AttachmentState.ATTACHED, null));
            return Optional.of(before.withAttachments(atts));
        }
    }

    @Test
    void aBackEndWhoseMapIsItsOwnProofIsNotReadAgainButAFenceIsAlwaysVerified() {
        Scripted b = new Scripted(OWNER);
        b.mapIsItsOwnProof = true;
        b.ownerLiveness = Liveness.DISCONNECTED;
        AttachResult r = Takeover.attach(b, ME, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        assertThat(b.calls).containsExactly("read [owner]", "evidence owner", "unmap owner", "read []", "map me exclusive",
                "acknowledged me over []");
        assertThat(r.volume().attachments()).extracting(Attachment::hostId).containsExactly(ME);
        assertThat(r.attachment().hostId()).isEqualTo(ME);

        Scripted cold = new Scripted();
        cold.mapIsItsOwnProof = true;
        assertThat(Takeover.attach(cold, ME, AttachOptions.DEFAULT).changed()).isTrue();
        assertThat(cold.calls).containsExactly("read []", "map me exclusive", "acknowledged me over []");

        Scripted lost = new Scripted(OWNER);
        lost.mapIsItsOwnProof = true;
        lost.loseUnmaps = true;
        assertThatThrownBy(() -> Takeover.attach(lost, ME, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("still maps");
        assertThat(lost.calls).noneMatch(c -> c.startsWith("map") || c.startsWith("acknowledged"));
    }

    @Test
    void aTakeoverDecidesThenFencesThenVerifiesThenMaps() {
        Scripted b = new Scripted(OWNER);
        b.ownerLiveness = Liveness.DISCONNECTED;
        AttachResult r = Takeover.attach(b, ME, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        assertThat(b.calls).containsExactly("read [owner]", "evidence owner", "unmap owner", "read []", "map me exclusive", "read [me]");
        assertThat(r.changed()).isTrue();
        assertThat(r.preemption()).hasValueSatisfying(p -> assertThat(p.from()).isEqualTo(OWNER));
        assertThat(r.attachment().hostId()).isEqualTo(ME);
    }

    @Test
    void anUnmapThatDidNotTakeOrFailedNeverLeadsToAMap() {
        Scripted lost = new Scripted(OWNER);
        lost.loseUnmaps = true;
        assertThatThrownBy(() -> Takeover.attach(lost, ME, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("still maps");
        assertThat(lost.calls).noneMatch(c -> c.startsWith("map"));

        Scripted failed = new Scripted(OWNER);
        failed.failUnmaps = true;
        assertThatThrownBy(() -> Takeover.attach(failed, ME, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("unmapping the volume from owner failed")
                .hasMessageContaining("no route to the back end");
        assertThat(failed.calls).noneMatch(c -> c.startsWith("map"));
    }

    @Test
    void refusalsChangeNothing() {
        Scripted never = new Scripted(OWNER);
        assertThatThrownBy(() -> Takeover.attach(never, ME, AttachOptions.DEFAULT)).isInstanceOf(VolumeAttachedToOtherHostException.class);
        Scripted alive = new Scripted(OWNER);
        assertThatThrownBy(() -> Takeover.attach(alive, ME, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE)))
                .isInstanceOf(OwnerStillAliveException.class);
        Scripted twice = new Scripted(OWNER, THIRD);
        assertThatThrownBy(() -> Takeover.attach(twice, ME, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(UnsafeMultiMappingException.class).hasMessageContaining("[owner, third]");
        for (Scripted s : List.of(never, alive, twice)) {
            assertThat(s.calls).noneMatch(c -> c.startsWith("unmap") || c.startsWith("map"));
        }
    }

    @Test
    void aLostRaceAndAMapTheBackEndDoesNotShowAreErrors() {
        Scripted raced = new Scripted();
        raced.refuseMap = true;
        assertThatThrownBy(() -> Takeover.attach(raced, ME, AttachOptions.DEFAULT))
                .isInstanceOfSatisfying(VolumeAttachedToOtherHostException.class, e -> assertThat(e.owners()).containsExactly(THIRD));
        Scripted hidden = new Scripted();
        hidden.hideMap = true;
        assertThatThrownBy(() -> Takeover.attach(hidden, ME, AttachOptions.DEFAULT)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("acknowledged the map");
    }

    @Test
    void anExistingMappingIsReturnedUnchangedAndMultiHostVolumesMapWithoutExclusion() {
        Scripted here = new Scripted(ME);
        AttachResult r = Takeover.attach(here, ME, AttachOptions.DEFAULT);
        assertThat(r.changed()).isFalse();
        assertThat(here.calls).containsExactly("read [me]");

        Scripted shared = new Scripted(OWNER);
        shared.mode = AccessMode.MULTI_HOST_READ_ONLY;
        assertThat(Takeover.attach(shared, ME, AttachOptions.DEFAULT).preemption()).isEmpty();
        assertThat(shared.calls).containsExactly("read [owner]", "map me", "read [owner, me]");
    }

    @Test
    void anOwnerTheCallerDeclaresDeadIsTakenWithoutAskingTheBackEnd() {
        Scripted b = new Scripted(OWNER);
        AttachResult r = Takeover.attach(b, ME, new AttachOptions(PreemptionPolicy.IF_OWNER_UNREACHABLE, Set.of(OWNER)));
        assertThat(r.preemption()).hasValueSatisfying(p -> assertThat(p.evidence().source()).isEqualTo("caller"));
        assertThat(b.calls).noneMatch(c -> c.startsWith("evidence"));
    }
}
