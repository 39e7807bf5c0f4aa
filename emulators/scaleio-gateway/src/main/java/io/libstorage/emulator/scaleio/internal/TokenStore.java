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
 * Login sessions in gateway memory: several may be live at once; each ends after an idle period, an absolute
 * lifetime, a logout, or a gateway restart. A Basic login's session has one token ({@code base64(user:epochMillis:hex)},
 * like the fixture's, opaque to clients). A bearer login's session has an access token, which expires on its own after
 * the access lifetime and is replaced by a refresh, and a refresh token, valid as long as the session.
 */
public final class TokenStore {
    private static final int ISSUED_KEPT = 1000;

    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration lifetime;
    private final Duration accessLifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Deque<String> issued = new ArrayDeque<>();

    private record Session(Instant issued, Instant lastUsed) {
    }

    private enum Kind { SESSION, ACCESS, REFRESH }

    /** What a token grants: {@code expires} null = as long as its session. */
    private record Grant(String sessionId, Kind kind, Instant expires) {
    }

    /** The answer of a bearer login or refresh. */
    public record BearerTokens(String accessToken, String refreshToken, long expiresInSeconds) {
        @Override
        public String toString() {
            return "BearerTokens[expiresIn=" + expiresInSeconds + "]";
        }
    }

    public TokenStore(Clock clock, Duration idleTimeout, Duration lifetime) {
        this(clock, idleTimeout, lifetime, Duration.ofMinutes(5));
    }

    public TokenStore(Clock clock, Duration idleTimeout, Duration lifetime, Duration accessLifetime) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
        this.accessLifetime = accessLifetime;
    }

    /** A Basic login: a new session and its token. */
    public String issue(String user) {
        String token = newToken(user);
        sessions.put(token, new Session(clock.instant(), clock.instant()));
        grants.put(token, new Grant(token, Kind.SESSION, null));
        return token;
    }

    /** A bearer login: a new session, its access token and its refresh token. */
    public BearerTokens issueBearer(String user) {
        String sessionId = "bearer-" + java.util.UUID.randomUUID(); // an internal key, never sent to a client
        sessions.put(sessionId, new Session(clock.instant(), clock.instant()));
        String refresh = newToken(user + "-refresh");
        grants.put(refresh, new Grant(sessionId, Kind.REFRESH, null));
        return new BearerTokens(newAccess(user, sessionId), refresh, accessLifetime.toSeconds());
    }

    /** A new access token of the refresh token's session (the old one no longer valid), or null if that session ended. */
    public BearerTokens refresh(String refreshToken) {
        Grant g = refreshToken == null ? null : grants.get(refreshToken);
        if (g == null || g.kind() != Kind.REFRESH || !touch(g.sessionId())) {
            return null;
        }
        grants.entrySet().removeIf(e -> e.getValue().sessionId().equals(g.sessionId()) && e.getValue().kind() == Kind.ACCESS);
        return new BearerTokens(newAccess("refreshed", g.sessionId()), refreshToken, accessLifetime.toSeconds());
    }

    /** Ends the session of a refresh token; false if it was not live. */
    public boolean logoutRefresh(String refreshToken) {
        Grant g = refreshToken == null ? null : grants.get(refreshToken);
        if (g == null || g.kind() != Kind.REFRESH || !live(g.sessionId())) {
            return false;
        }
        end(g.sessionId());
        return true;
    }

    private String newAccess(String user, String sessionId) {
        String access = newToken(user + "-access");
        grants.put(access, new Grant(sessionId, Kind.ACCESS, clock.instant().plus(accessLifetime)));
        return access;
    }

    private String newToken(String user) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        String raw = user + ":" + clock.instant().toEpochMilli() + ":" + HexFormat.of().formatHex(secret);
        String token = Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        synchronized (issued) {
            issued.addLast(token);
            if (issued.size() > ISSUED_KEPT) {
                issued.removeFirst();
            }
        }
        return token;
    }

    /** The last tokens issued (access, refresh and Basic), valid or not, oldest first (tests check clients never reveal them). */
    public List<String> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    /** Whether the token (a Basic session token or an access token) is valid now; a valid use restarts the idle period. */
    public boolean use(String token) {
        Grant g = token == null ? null : grants.get(token);
        if (g == null || g.kind() == Kind.REFRESH) {
            return false;
        }
        if (g.expires() != null && !clock.instant().isBefore(g.expires())) {
            grants.remove(token);
            return false;
        }
        return touch(g.sessionId());
    }

    private boolean touch(String sessionId) {
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(sessionId, (k, old) -> expired(old, now) ? null : new Session(old.issued(), now));
        if (s == null) {
            end(sessionId);
        }
        return s != null;
    }

    private boolean live(String sessionId) {
        Session s = sessions.get(sessionId);
        return s != null && !expired(s, clock.instant());
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idleTimeout)) || !now.isBefore(s.issued().plus(lifetime));
    }

    private void end(String sessionId) {
        sessions.remove(sessionId);
        grants.values().removeIf(g -> g.sessionId().equals(sessionId));
    }

    /** Ends the session of a token (a Basic logout). */
    public void invalidate(String token) {
        Grant g = token == null ? null : grants.get(token);
        if (g != null) {
            end(g.sessionId());
        }
    }

    public void invalidateAll() {
        sessions.clear();
        grants.clear();
    }

    /** Sessions live now (a bearer session counts once, whatever its tokens). */
    public int active() {
        Instant now = clock.instant();
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            if (expired(e.getValue(), now)) {
                end(e.getKey());
            }
        }
        return sessions.size();
    }

    /** Constant-time comparison for credentials. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
