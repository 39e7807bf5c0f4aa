package io.libstorage.cli;

/**
 * Names the JDK's own selector provider for this process before anything opens a channel. Without the
 * {@value #PROPERTY} property, the first {@code SocketChannel.open} asks {@code ServiceLoader} for another provider,
 * which opens every jar of the class path to look for one: with this command's 60-odd jars, about 30 ms of a thin
 * client's start, longer than its whole exchange with the plugin. Only on a JDK whose Linux provider is the class
 * named here (OpenJDK 17 to 25); anywhere else, or when the property is already set (a user's choice, which is
 * then kept), nothing changes. A provider that a jar added through {@code LIBSTORAGE_CLASSPATH} offers as a service
 * is therefore not used by the command; none of the project's dependencies offers one. Idempotent.
 */
final class PlatformSelectorProvider {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private PlatformSelectorProvider() {
    }

    static void select() {
        if (System.getProperty(PROPERTY) != null || !exists(LINUX_PROVIDER)) {
            return;
        }
        System.setProperty(PROPERTY, LINUX_PROVIDER);
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
