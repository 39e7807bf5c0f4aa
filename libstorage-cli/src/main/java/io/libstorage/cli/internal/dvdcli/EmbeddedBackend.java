package io.libstorage.cli.internal.dvdcli;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountOptions;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.VolumeOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dvdcli's commands on the library in this process, with the plugin's semantics: the anonymous
 * consumer, create options mapped exactly as the plugin maps them ({@link VolumeOptions}).
 */
final class EmbeddedBackend implements DvdcliBackend {
    private final LibStorage storage;

    EmbeddedBackend(LibStorage storage) {
        this.storage = storage;
    }

    @Override
    public String mount(String name, Map<String, String> opts, boolean explicitCreate) {
        MountOptions.Builder r = MountOptions.builder().createIfMissing(!explicitCreate);
        if (!opts.isEmpty()) {
            r.createSpec(spec(name, "mount", opts));
        }
        return storage.mount(name, ConsumerId.ANONYMOUS, r.build()).path().toString();
    }

    @Override
    public void unmount(String name) {
        storage.unmount(name, ConsumerId.ANONYMOUS);
    }

    @Override
    public Optional<String> path(String name) {
        Optional<Path> p = storage.path(name);
        if (p.isEmpty() && storage.inspect(name).isEmpty()) {
            throw new VolumeNotFoundException(context("path", name), "no volume has this name");
        }
        return p.map(Path::toString);
    }

    @Override
    public void create(String name, Map<String, String> opts) {
        storage.create(name, spec(name, "create", opts));
    }

    @Override
    public void remove(String name) {
        storage.remove(name, RemoveOptions.DEFAULT);
    }

    @Override
    public boolean exists(String name) {
        return storage.inspect(name).isPresent();
    }

    @Override
    public List<String> list() {
        return storage.list().stream().map(s -> s.volume().name()).sorted().toList();
    }

    @Override
    public String describe() {
        return storage.backend();
    }

    private VolumeSpec spec(String name, String operation, Map<String, String> opts) {
        return VolumeOptions.toSpec(storage.defaultSpec(), opts, context(operation, name));
    }

    @Override
    public ErrorContext context(String operation, String name) {
        return storage.errorContext(operation, name);
    }

    @Override
    public void close() {
        storage.close();
    }
}
