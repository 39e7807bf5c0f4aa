/**
 * The ScaleIO (PowerFlex) storage driver, found through its provider ({@code scaleio}); nothing is exported. The REST
 * gateway client with its login token, the resolution of this host's SDC, volume mapping with the takeover template,
 * snapshots and grow, and the host side that finds the {@code /dev/disk/by-id/emc-vol-*} device of a mapped volume.
 */
package io.libstorage.scaleio.internal;
