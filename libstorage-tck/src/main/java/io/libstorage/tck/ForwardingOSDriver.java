package io.libstorage.tck;

import io.libstorage.api.BindState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.ProcessHolder;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link OSDriver} that forwards every call to another one; override the calls a test wants to
 * observe or disturb (count formats, hold a mount, fail an unmount).
 */
public abstract class ForwardingOSDriver implements OSDriver {
    private final OSDriver delegate;

    protected ForwardingOSDriver(OSDriver delegate) {
        this.delegate = delegate;
    }

    public OSDriver delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ProbeResult probe(ErrorContext context, Path device) {
        return delegate.probe(context, device);
    }

    @Override
    public Set<String> supportedFilesystems() {
        return delegate.supportedFilesystems();
    }

    @Override
    public void format(ErrorContext context, Path device, FormatOptions request) {
        delegate.format(context, device, request);
    }

    @Override
    public void mount(ErrorContext context, Path device, Path target, String fsType, List<String> options) {
        delegate.mount(context, device, target, fsType, options);
    }

    @Override
    public void unmount(ErrorContext context, Path target, boolean lazy) {
        delegate.unmount(context, target, lazy);
    }

    @Override
    public BindState bindState(ErrorContext context, Path source, Path target) {
        return delegate.bindState(context, source, target);
    }

    @Override
    public void bind(ErrorContext context, Path source, Path target, boolean readOnly) {
        delegate.bind(context, source, target, readOnly);
    }

    @Override
    public void unbind(ErrorContext context, Path target) {
        delegate.unbind(context, target);
    }

    @Override
    public boolean mountedAt(ErrorContext context, Path target) {
        return delegate.mountedAt(context, target);
    }

    @Override
    public List<MountEntry> mounts(ErrorContext context) {
        return delegate.mounts(context);
    }

    @Override
    public Optional<MountEntry> mountAt(ErrorContext context, Path target) {
        return delegate.mountAt(context, target);
    }

    @Override
    public Optional<String> deviceNumber(ErrorContext context, Path device) {
        return delegate.deviceNumber(context, device);
    }

    @Override
    public List<MountEntry> mountsOf(ErrorContext context, String deviceNumber) {
        return delegate.mountsOf(context, deviceNumber);
    }

    @Override
    public List<ProcessHolder> holdersOf(ErrorContext context, String deviceNumber) {
        return delegate.holdersOf(context, deviceNumber);
    }

    @Override
    public String bootId() {
        return delegate.bootId();
    }

    @Override
    public void growFilesystem(ErrorContext context, Path device, Path mountPoint, String fsType) {
        delegate.growFilesystem(context, device, mountPoint, fsType);
    }

    @Override
    public void freeze(ErrorContext context, Path mountPoint) {
        delegate.freeze(context, mountPoint);
    }

    @Override
    public void thaw(ErrorContext context, Path mountPoint) {
        delegate.thaw(context, mountPoint);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
