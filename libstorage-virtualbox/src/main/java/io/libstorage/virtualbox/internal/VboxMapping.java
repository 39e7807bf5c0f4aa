package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.spi.VolumeMapping;

/**
 * The takeover primitives on VirtualBox, for one attach ({@link io.libstorage.spi.support.Takeover} orders them): the
 * medium read again by UUID (its {@code machineIds} are the owners), an owner VM's state as evidence (powered off,
 * aborted or saved: disconnected; running: connected), a detach from that VM only (a saved VM refuses: its disks cannot
 * change without losing its saved state), and an attach to the target VM that is exclusive under the target's session
 * lock (and VirtualBox's own write lock of a disk a running VM holds).
 */
final class VboxMapping implements VolumeMapping {
    private final VboxCalls calls;
    private final VboxVolumes volumes;
    private final Machines machines;
    private final MountedHere mountedHere;
    private final String mediumId;
    private final String targetVm;
    private final ErrorContext ctx;
    private Volume first;

    VboxMapping(VboxCalls calls, VboxVolumes volumes, Machines machines, MountedHere mountedHere, String id, HostId target,
                ErrorContext plain) {
        this.calls = calls;
        this.volumes = volumes;
        this.machines = machines;
        this.mountedHere = mountedHere;
        this.targetVm = Machines.vmId(target, plain);
        Volume v = calls.run(plain, s -> volumes.byId(s, id)).map(VboxVolumes.Found::volume)
                .orElseThrow(() -> new VolumeNotFoundException(plain));
        this.ctx = VboxVolumes.named(plain, v);
        this.mediumId = v.id().value();
        this.first = v;
    }

    @Override
    public ErrorContext context() {
        return ctx;
    }

    @Override
    public Volume read() {
        if (first != null) {
            Volume v = first;
            first = null;
            return v;
        }
        return calls.run(ctx, s -> volumes.byId(s, mediumId)).map(VboxVolumes.Found::volume)
                .orElseThrow(() -> new VolumeNotFoundException(ctx, "it was removed during the attach"));
    }

    @Override
    public OwnerEvidence evidence(HostId owner) {
        return calls.run(ctx, s -> machines.evidence(s, owner, ctx));
    }

    @Override
    public void unmap(HostId owner) {
        mountedHere.refuse(owner, mediumId, ctx);
        String vm = Machines.vmId(owner, ctx);
        calls.run(ctx, s -> machines.detach(s, vm, medium(s), mediumId, ctx));
    }

    @Override
    public boolean map(HostId target, boolean exclusive) {
        return calls.run(ctx, s -> machines.attach(s, targetVm, medium(s), exclusive, ctx));
    }

    private Ref medium(VboxSession s) {
        return volumes.open(s, mediumId).orElseThrow(() -> new VolumeNotFoundException(ctx, "it was removed during the attach"));
    }
}
