package io.libstorage.api;

/**
 * Receives {@link VolumeEvent}s. Called synchronously on the thread that performed the operation,
 * after the state change is durable; a listener that throws is logged and does not affect the
 * operation.
 */
@FunctionalInterface
public interface VolumeEventListener {
    void onEvent(VolumeEvent event);
}
