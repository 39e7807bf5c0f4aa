package io.libstorage.scaleio.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * One login's session on the gateway: a Basic session ({@code GET /api/login}, the token as the Basic password) or a
 * bearer session ({@code POST /rest/auth/login}: an access token, a refresh token, maybe a lifetime). Holds secrets:
 * {@link #toString()} shows neither token.
 *
 * @param bearer       whether calls carry {@code Authorization: Bearer <token>} (else Basic user:token)
 * @param token        the session token (Basic) or the access token (bearer)
 * @param refreshToken the refresh token of a bearer session, or null
 * @param version      the API version in use, {@code major.minor}
 * @param generation   counts logins and renewals of this client, so that one 401 storm causes one re-login
 * @param renewAt      when to renew the access token before it expires (bearer with a known lifetime), or null
 */
record GatewaySession(boolean bearer, String token, String refreshToken, String version, long generation, Instant renewAt) {

    /**
     * The Authorization header of a call in this session. A Basic login's token goes as the Basic password, except to a
     * gateway of API 4.0 or later, which takes it as a bearer token (goscaleio-dell from 4.0 on); before the version is
     * known (the {@code /api/version} call itself), always as Basic.
     */
    String authorization(String userName) {
        return bearer || fromVersion4(version) ? "Bearer " + token : basic(userName, token);
    }

    private static boolean fromVersion4(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    GatewaySession withVersion(String v) {
        return new GatewaySession(bearer, token, refreshToken, v, generation, renewAt);
    }

    boolean renewDue(Instant now) {
        return renewAt != null && !now.isBefore(renewAt);
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "GatewaySession[" + (bearer ? "bearer" : "basic") + ", version=" + version + ", generation=" + generation
                + (renewAt == null ? "" : ", renewAt=" + renewAt) + "]";
    }
}
