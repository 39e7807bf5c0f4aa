package io.libstorage.csi.internal;

import io.grpc.BindableService;
import io.libstorage.core.LibStorage;

import java.util.List;

/** Wires the three CSI services over one {@link LibStorage}; they share the in-flight set of volumes. */
public final class Services {
    private Services() {
    }

    /** Identity, Controller and Node, as one process serves them (the sidecars expect that). */
    public static List<BindableService> all(LibStorage storage, PluginSettings settings) {
        Library library = new Library(storage);
        Calls calls = new Calls();
        return List.of(new IdentityService(library, settings, calls), new ControllerService(library, calls),
                new NodeService(library, calls));
    }
}
