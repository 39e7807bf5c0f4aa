package io.libstorage.virtualbox.internal;

import java.util.Map;

/**
 * An {@code IMediumAttachment} (returned by value): a device slot of a controller and what is in it.
 *
 * @param medium       the medium, or null for an empty drive (never looked up: an empty reference is not sent back)
 * @param controller   controller name
 * @param port         controller port
 * @param device       device on the port
 * @param type         {@code HardDisk}, {@code DVD}, …
 * @param hotPluggable whether the slot can be unplugged while the VM runs
 */
public record MediumAttachment(Ref medium, String controller, int port, int device, String type, boolean hotPluggable) {

    static MediumAttachment from(Map<String, String> fields, Ref medium) {
        return new MediumAttachment(medium, fields.getOrDefault("controller", ""), integer(fields.get("port")),
                integer(fields.get("device")), fields.getOrDefault("type", ""), Boolean.parseBoolean(fields.get("hotPluggable")));
    }

    private static int integer(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new SoapResponse.SoapFormatException("an attachment's port or device is not a number: " + s);
        }
    }

    /** Whether this slot holds a hard disk. */
    public boolean hardDisk() {
        return medium != null && type.equals("HardDisk");
    }
}
