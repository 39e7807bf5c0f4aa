package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.internal.soap.SoapFault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Websessions and their managed object references, as vboxweb.cpp keeps them: a reference is
 * {@code <16 hex websession id>-<16 hex object id>}, object ids count from 1 per websession (the {@code IVirtualBox}
 * of a logon is {@code …-0000000000000001}), and a COM object already handed out in a websession gets the same
 * reference again. A reference is invalid once released, once its websession logged off or timed out, and after a
 * restart; {@code logoff} of an unknown websession is silently accepted.
 */
public final class Websessions {
    private final Clock clock;
    private final Duration idleTimeout;
    private final Map<Long, Websession> sessions = new LinkedHashMap<>();

    /** One websession: its references both ways and the ISession objects it created. */
    static final class Websession {
        final long id;
        final Map<Long, Object> objects = new HashMap<>();
        final Map<Object, Long> ids = new HashMap<>();
        final List<SessionObj> isessions = new ArrayList<>();
        long nextObjectId = 1;
        Instant lastUse;

        Websession(long id, Instant now) {
            this.id = id;
            this.lastUse = now;
        }
    }

    public Websessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** A new websession with its {@code IVirtualBox} reference. */
    synchronized String logon() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (sessions.containsKey(id));
        Websession ws = new Websession(id, clock.instant());
        sessions.put(id, ws);
        return refFor(ws, ComObjects.VIRTUALBOX);
    }

    /** Ends the websession of {@code ref} and returns its ISession objects (whose locks the caller releases). */
    synchronized List<SessionObj> logoff(String ref) {
        Websession ws = websessionOf(ref);
        if (ws == null) {
            return List.of();
        }
        sessions.remove(ws.id);
        return ws.isessions;
    }

    /** A web-service restart: every websession and reference is gone. Returns every ISession to end. */
    synchronized List<SessionObj> restart() {
        List<SessionObj> all = new ArrayList<>();
        sessions.values().forEach(ws -> all.addAll(ws.isessions));
        sessions.clear();
        return all;
    }

    /** Websessions idle for longer than the timeout are logged off (vboxwebsrv's watchdog). Returns their ISessions. */
    synchronized List<SessionObj> expire() {
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            return List.of();
        }
        Instant limit = clock.instant().minus(idleTimeout);
        List<SessionObj> ended = new ArrayList<>();
        sessions.values().removeIf(ws -> {
            if (ws.lastUse.isBefore(limit)) {
                ended.addAll(ws.isessions);
                return true;
            }
            return false;
        });
        return ended;
    }

    public synchronized int active() {
        return sessions.size();
    }

    /** The object behind {@code ref} if it is one of {@code types}; otherwise the InvalidObjectFault. */
    synchronized Object resolve(String ref, Class<?>... types) {
        Object o = lookup(ref);
        if (o == null) {
            throw SoapFault.invalidObject(ref);
        }
        if (types.length == 0) {
            return o;
        }
        for (Class<?> t : types) {
            if (t.isInstance(o)) {
                return o;
            }
        }
        throw SoapFault.invalidObject(ref);
    }

    /** Like {@link #resolve} but an empty reference means null (input parameters other than {@code _this}). */
    synchronized Object resolveOptional(String ref, Class<?> type) {
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        return resolve(ref, type);
    }

    private Object lookup(String ref) {
        Websession ws = websessionOf(ref);
        if (ws == null) {
            return null;
        }
        ws.lastUse = clock.instant();
        return ws.objects.get(Long.parseUnsignedLong(ref.substring(17), 16));
    }

    /**
     * The reference for {@code object} in the websession of {@code parentRef} (the call's {@code _this}); empty when
     * that websession is gone, as vboxwebsrv answers then instead of a fault.
     */
    synchronized String refIn(String parentRef, Object object) {
        if (object == null) {
            return "";
        }
        Websession ws = websessionOf(parentRef);
        return ws == null ? "" : refFor(ws, object);
    }

    /** Registers a new ISession with the websession of {@code parentRef}; false when that websession is gone. */
    synchronized boolean adopt(String parentRef, SessionObj session) {
        Websession ws = websessionOf(parentRef);
        if (ws == null) {
            return false;
        }
        ws.isessions.add(session);
        return true;
    }

    synchronized long websessionIdOf(String ref) {
        Websession ws = websessionOf(ref);
        return ws == null ? 0 : ws.id;
    }

    synchronized void release(String ref) {
        Websession ws = websessionOf(ref);
        long objectId = ws == null ? 0 : Long.parseUnsignedLong(ref.substring(17), 16);
        if (ws == null || !ws.objects.containsKey(objectId)) {
            throw SoapFault.invalidObject(ref);
        }
        Object o = ws.objects.remove(objectId);
        ws.ids.remove(o);
    }

    private Websession websessionOf(String ref) {
        if (ref == null || ref.length() != 33 || ref.charAt(16) != '-') {
            return null;
        }
        try {
            long wsId = Long.parseUnsignedLong(ref.substring(0, 16), 16);
            Long.parseUnsignedLong(ref.substring(17), 16);
            return sessions.get(wsId);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String refFor(Websession ws, Object object) {
        Long id = ws.ids.get(object);
        if (id == null) {
            id = ws.nextObjectId++;
            ws.ids.put(object, id);
            ws.objects.put(id, object);
        }
        return String.format(Locale.ROOT, "%016x-%016x", ws.id, id);
    }
}
