package io.libstorage.docker;

import java.util.Map;

/**
 * An extra endpoint a {@link DockerVolumePlugin} serves beside the Docker protocol's, for clients of the same
 * project (e.g. the command line's thin client): {@code POST /<method>} with a JSON object, answered with the
 * JSON object {@link #answer} returns (HTTP 200), or with the protocol's error body when it throws. It runs on
 * the plugin's operation runner, not serialised per volume, within the shortest call deadline; it must not
 * change any volume (idempotent, read-only) and must be thread-safe.
 */
@FunctionalInterface
public interface PluginExtension {
    /** The answer to {@code request} (the client's JSON object as maps, lists, strings, numbers, booleans and null). */
    Map<String, Object> answer(Map<String, Object> request);
}
