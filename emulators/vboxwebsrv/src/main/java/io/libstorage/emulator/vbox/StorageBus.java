package io.libstorage.emulator.vbox;

/**
 * Storage buses with VirtualBox's limits for their default controller type: the largest port count, devices per
 * port, and whether devices can be attached and detached while the VM runs (hot-plug).
 */
public enum StorageBus {
    IDE("PIIX4", 2, 2, false),
    SATA("IntelAhci", 30, 1, true),
    SCSI("LsiLogic", 16, 1, false),
    SAS("LsiLogicSas", 255, 1, false),
    USB("USB", 8, 1, true),
    PCIe("NVMe", 255, 1, false),
    VirtioSCSI("VirtioSCSI", 256, 1, false);

    private final String controllerType;
    private final int maxPortCount;
    private final int devicesPerPort;
    private final boolean hotPlug;

    StorageBus(String controllerType, int maxPortCount, int devicesPerPort, boolean hotPlug) {
        this.controllerType = controllerType;
        this.maxPortCount = maxPortCount;
        this.devicesPerPort = devicesPerPort;
        this.hotPlug = hotPlug;
    }

    /** The {@code StorageControllerType} of this bus's default controller. */
    public String controllerType() {
        return controllerType;
    }

    public int maxPortCount() {
        return maxPortCount;
    }

    public int devicesPerPort() {
        return devicesPerPort;
    }

    public boolean hotPlug() {
        return hotPlug;
    }

    public static StorageBus parse(String s) {
        for (StorageBus b : values()) {
            if (b.name().equalsIgnoreCase(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown storage bus '" + s + "' (IDE, SATA, SCSI, SAS, USB, PCIe, VirtioSCSI)");
    }
}
