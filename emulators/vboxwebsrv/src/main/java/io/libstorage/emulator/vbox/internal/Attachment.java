package io.libstorage.emulator.vbox.internal;

/**
 * An {@code IMediumAttachment}: a device slot of a controller with its medium (null for an empty drive).
 *
 * @param hotPluggable set for attachments made while the VM ran; only those can be hot-unplugged
 */
record Attachment(String controller, int port, int device, String type, Disk medium, boolean hotPluggable) {
    boolean at(String controllerName, int p, int d) {
        return controller.equals(controllerName) && port == p && device == d;
    }
}
