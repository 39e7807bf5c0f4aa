#!/bin/sh
# Entrypoint of the libstorage managed Docker plugin (/opt/libstorage-plugin/entrypoint.sh in its rootfs).
#
# Serves the volume plugin on /run/docker/plugins/libstorage.sock (the socket config.json names; dockerd
# bind-mounts its own directory for this plugin there) with the configuration $LIBSTORAGE_CONFIG: by default
# /etc/libstorage/config.yml, the host's (the "config" mount); when that file does not exist, the built-in
# /opt/libstorage-plugin/config.yml (localfs, everything under /var/lib/libstorage). The plugin's `args`
# setting (`docker plugin set libstorage args="--scope global"`) comes after these options.
export JAVA_HOME=/opt/java
config=${LIBSTORAGE_CONFIG:-/etc/libstorage/config.yml}
if [ ! -f "$config" ]; then
  echo "libstorage plugin: $config does not exist; using the built-in configuration /opt/libstorage-plugin/config.yml (localfs)" >&2
  config=/opt/libstorage-plugin/config.yml
fi
export LIBSTORAGE_CONFIG="$config"
exec /opt/libstorage/bin/libstorage service start --name libstorage --socket-dir /run/docker/plugins "$@"
