package io.libstorage.cli.internal.dvdcli;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.docker.DockerPluginClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls dvdcli makes to a running volume plugin (Activate was sent when the client was chosen):
 * mount = Get, Create if missing (with the options) unless explicit create, Mount without ID.
 */
final class SocketBackend implements DvdcliBackend {
    private final DockerPluginClient client;

    SocketBackend(DockerPluginClient client) {
        this.client = client;
    }

    @Override
    public String mount(String name, Map<String, String> opts, boolean explicitCreate) {
        if (client.get(name).isEmpty()) {
            if (explicitCreate) {
                throw new VolumeNotFoundException(context("mount", name),
                        "volume does not exist and --explicitcreate forbids creating it");
            }
            create(name, opts);
        }
        return client.mount(name);
    }

    @Override
    public void unmount(String name) {
        client.unmount(name);
    }

    @Override
    public Optional<String> path(String name) {
        var v = client.get(name);
        if (v.isEmpty()) {
            throw new VolumeNotFoundException(context("path", name), "no volume has this name");
        }
        if (v.get().mountpoint().isPresent()) {
            return v.get().mountpoint();
        }
        return client.path(name);
    }

    @Override
    public void create(String name, Map<String, String> opts) {
        if (opts == null) {
            client.create(name);    // "Opts":null, as dvdcli sends it without --volumeopts
        } else {
            client.create(name, opts);
        }
    }

    @Override
    public void remove(String name) {
        client.remove(name);
    }

    @Override
    public boolean exists(String name) {
        return client.get(name).isPresent();
    }

    @Override
    public List<String> list() {
        return client.list().stream().map(DockerPluginClient.PluginVolume::name).toList();
    }

    @Override
    public String describe() {
        return "docker-plugin:" + client.socket();
    }

    @Override
    public ErrorContext context(String operation, String name) {
        return ErrorContext.of(operation, name, null, describe());
    }

    @Override
    public void close() {
        client.close();
    }
}
