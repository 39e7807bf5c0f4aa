package io.libstorage.csi.internal;

/**
 * The plugin's name and version as GetPluginInfo reports them.
 *
 * @param name the CSI driver name (reverse domain name, at most 63 characters)
 * @param version the vendor version
 */
public record PluginSettings(String name, String version) {
    /** The segment key of the topology that node-local back ends (localfs) report. */
    public static final String TOPOLOGY_KEY = "topology.libstorage.io/node";

    public PluginSettings {
        if (name == null || name.isEmpty() || name.length() > 63 || !name.matches("[A-Za-z0-9][A-Za-z0-9.\\-]*[A-Za-z0-9]")) {
            throw new IllegalArgumentException("a CSI plugin name is a domain name of at most 63 characters"
                    + " (letters, digits, '.', '-'), not '" + name + "'");
        }
        if (version == null || version.isEmpty()) {
            throw new IllegalArgumentException("the plugin version must not be empty");
        }
    }
}
