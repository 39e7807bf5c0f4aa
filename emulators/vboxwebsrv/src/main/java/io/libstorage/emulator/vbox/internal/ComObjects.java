package io.libstorage.emulator.vbox.internal;

/**
 * The small COM objects a managed object reference can stand for besides machines, media, sessions and progresses.
 * Records compare by value, so the same controller or adapter gets the same reference within a websession, as
 * vboxwebsrv reuses the reference of a COM object it has already handed out.
 */
final class ComObjects {
    private ComObjects() {
    }

    /** The global {@code IVirtualBox}. */
    static final VirtualBoxRoot VIRTUALBOX = new VirtualBoxRoot();

    /** The global {@code ISystemProperties}. */
    static final SystemProperties SYSTEM_PROPERTIES = new SystemProperties();

    static final class VirtualBoxRoot {
    }

    static final class SystemProperties {
    }

    /** {@code IStorageController} {@code name} of a machine object (the registered machine or a session's mutable one). */
    record ControllerRef(Object machine, String name) {
    }

    /** {@code IMediumFormat} {@code id} ({@code VMDK}, {@code VDI}, …). */
    record FormatRef(String id) {
    }

    /** {@code INetworkAdapter} in {@code slot} of a machine. */
    record AdapterRef(Vm vm, int slot) {
    }
}
