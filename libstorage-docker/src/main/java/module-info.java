/**
 * Docker volume plugin (legacy protocol v1) for libstorage-java: {@link io.libstorage.docker.DockerVolumePlugin}
 * serves a {@link io.libstorage.core.LibStorage} on a unix socket for dockerd, dvdcli and Mesos;
 * {@link io.libstorage.docker.DockerPluginClient} makes dvdcli's calls to any such plugin.
 */
module io.libstorage.docker {
    requires transitive io.libstorage.core;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.jr.ob;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.unixdomain.server;
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.http;
    requires org.slf4j;

    exports io.libstorage.docker;
}
