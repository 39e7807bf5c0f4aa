/**
 * The Docker volume plugin: {@link io.libstorage.docker.DockerVolumePlugin} serves the {@code /VolumeDriver.*}
 * protocol on a unix socket over one {@code LibStorage}, configured by {@link io.libstorage.docker.PluginOptions};
 * {@link io.libstorage.docker.VolumeOptions} reads the {@code -o key=value} options of {@code docker volume create},
 * and {@link io.libstorage.docker.DockerPluginClient} speaks the protocol as dockerd does (for tests and the
 * command line's checks). Errors reach dockerd as {@code {"Err": "CODE: message"}} with the library's codes.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.docker;

import org.jspecify.annotations.NullMarked;
