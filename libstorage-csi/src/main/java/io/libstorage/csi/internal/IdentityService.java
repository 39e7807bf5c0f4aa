package io.libstorage.csi.internal;

import com.google.protobuf.BoolValue;
import io.grpc.stub.StreamObserver;
import io.libstorage.csi.proto.GetPluginCapabilitiesRequest;
import io.libstorage.csi.proto.GetPluginCapabilitiesResponse;
import io.libstorage.csi.proto.GetPluginInfoRequest;
import io.libstorage.csi.proto.GetPluginInfoResponse;
import io.libstorage.csi.proto.IdentityGrpc;
import io.libstorage.csi.proto.PluginCapability;
import io.libstorage.csi.proto.ProbeRequest;
import io.libstorage.csi.proto.ProbeResponse;

/** CSI Identity: who the plugin is, what it offers, and whether its back end answers (Probe). */
final class IdentityService extends IdentityGrpc.IdentityImplBase {
    private final Library library;
    private final PluginSettings settings;
    private final Calls calls;

    IdentityService(Library library, PluginSettings settings, Calls calls) {
        this.library = library;
        this.settings = settings;
        this.calls = calls;
    }

    @Override
    public void getPluginInfo(GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> out) {
        calls.run("GetPluginInfo", request, out, () -> GetPluginInfoResponse.newBuilder()
                .setName(settings.name())
                .setVendorVersion(settings.version())
                .putManifest("backend", library.backend())
                .build());
    }

    @Override
    public void getPluginCapabilities(GetPluginCapabilitiesRequest request, StreamObserver<GetPluginCapabilitiesResponse> out) {
        calls.run("GetPluginCapabilities", request, out, () -> {
            GetPluginCapabilitiesResponse.Builder b = GetPluginCapabilitiesResponse.newBuilder()
                    .addCapabilities(service(PluginCapability.Service.Type.CONTROLLER_SERVICE));
            if (!library.attachesRemotely()) {
                b.addCapabilities(service(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS));
            }
            if (library.grows()) {
                b.addCapabilities(PluginCapability.newBuilder().setVolumeExpansion(
                        PluginCapability.VolumeExpansion.newBuilder().setType(PluginCapability.VolumeExpansion.Type.ONLINE)));
            }
            return b.build();
        });
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> out) {
        calls.run("Probe", request, out, () -> {
            try {
                library.probe();
            } catch (RuntimeException e) {
                throw CsiError.failedPrecondition("the " + library.backend() + " back end does not answer: " + e.getMessage());
            }
            return ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build();
        });
    }

    private static PluginCapability service(PluginCapability.Service.Type type) {
        return PluginCapability.newBuilder().setService(PluginCapability.Service.newBuilder().setType(type)).build();
    }
}
