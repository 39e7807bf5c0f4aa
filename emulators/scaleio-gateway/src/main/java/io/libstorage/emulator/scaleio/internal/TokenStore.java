package io.libstorage.emulator.scaleio.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login tokens in gateway memory: several may be valid at once; each expires after an idle period and an
 * absolute lifetime; logout removes one; a gateway restart removes all. Tokens look like the fixture's
 * ({@code base64(user:epochMillis:hex)}) but are opaque to clients.
 */
public final class TokenStore {
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Deque<String> issued = new ArrayDeque<>();
    private static final int ISSUED_KEPT = 1000;

    private record Session(Instant issued, Instant lastUsed) {
    }

    public TokenStore(Clock clock, Duration idleTimeout, Duration lifetime) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
    }

    public String issue(String user) {
        Instant now = clock.instant();
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        String raw = user + ":" + now.toEpochMilli() + ":" + HexFormat.of().formatHex(secret);
        String token = Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        sessions.put(token, new Session(now, now));
        synchronized (issued) {
            issued.addLast(token);
            if (issued.size() > ISSUED_KEPT) {
                issued.removeFirst();
            }
        }
        return token;
    }

    /** The last tokens issued, valid or not, oldest first (a test hook: tests check that clients never reveal them). */
    public List<String> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    /** Whether the token is valid now; a valid use restarts its idle period. */
    public boolean use(String token) {
        if (token == null) {
            return false;
        }
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(token, (k, old) -> expired(old, now) ? null : new Session(old.issued(), now));
        return s != null;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idleTimeout)) || !now.isBefore(s.issued().plus(lifetime));
    }

    public void invalidate(String token) {
        sessions.remove(token);
    }

    public void invalidateAll() {
        sessions.clear();
    }

    public int active() {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
        return sessions.size();
    }

    /** Constant-time comparison for credentials. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
