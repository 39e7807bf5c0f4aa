/**
 * The {@code libstorage} command: REX-Ray's volume verbs over a {@link io.libstorage.core.LibStorage},
 * {@code service start} (the Docker volume plugin), {@code config check}, {@code version}, and a
 * dvdcli-compatible mode for Mesos ({@code dvdcli mount --volumedriver=D --volumename=N}). Entry point:
 * {@link io.libstorage.cli.Main}.
 */
module io.libstorage.cli {
    requires transitive io.libstorage.core;
    requires io.libstorage.docker;
    requires io.libstorage.csi;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;
    // sun.misc.Signal: SIGTERM/SIGINT stop `service start` cleanly with exit status 0
    requires jdk.unsupported;

    exports io.libstorage.cli;

    opens io.libstorage.cli.internal.command to info.picocli;
    opens io.libstorage.cli.internal.dvdcli to info.picocli;
}
