package io.libstorage.core.internal.events;

import io.libstorage.api.VolumeEvent;
import io.libstorage.api.VolumeEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Logs every event (pre-emptions at WARN, the rest at INFO) and hands it to the listeners; a failing listener is logged and ignored. */
public final class EventDispatcher implements VolumeEventListener {
    private static final Logger LOG = LoggerFactory.getLogger("io.libstorage.events");
    private final List<VolumeEventListener> listeners = new CopyOnWriteArrayList<>();

    public EventDispatcher(List<VolumeEventListener> initial) {
        listeners.addAll(initial);
    }

    public void add(VolumeEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onEvent(VolumeEvent event) {
        if (event instanceof VolumeEvent.Preempted p) {
            LOG.warn("volume '{}' pre-empted from host {} to host {} under {}: {}", p.volume(), p.preemption().from(),
                    p.preemption().to(), p.preemption().policy(), p.preemption().evidence().describe());
        } else if (event instanceof VolumeEvent.StaleMountCleaned s) {
            LOG.warn("stale mount of volume '{}' at {} lazily unmounted: {}", s.volume(), s.mount().mountPoint(), s.mount().reason());
        } else {
            LOG.info("{}", event);
        }
        for (VolumeEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("event listener {} failed on {}", l, event, e);
            }
        }
    }
}
