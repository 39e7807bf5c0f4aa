package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.scaleio.internal.ScaleIoSettings.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The gateway's login flavours, their renewal and their logout.
 * <ul>
 * <li>Basic (ScaleIO 2.x, 3.x): {@code GET /api/login} with Basic user:password answers the session token; calls carry
 * it as the Basic password; {@code GET /api/logout} ends the session.</li>
 * <li>Bearer (PowerFlex 4.x): {@code POST /rest/auth/login} with {@code {"username","password"}} answers
 * {@code access_token} and {@code refresh_token} (and, if the gateway says so, {@code expires_in} seconds); calls carry
 * {@code Authorization: Bearer <access token>}; {@code POST /rest/auth/logout} with {@code {"refresh_token"}} ends
 * the session (dell/python-powerflex expects 204). Before the access token expires (at three quarters of its
 * lifetime) it is renewed with {@code POST /rest/auth/refresh} and {@code {"refresh_token"}}; that endpoint is not
 * confirmed by a public client, so a gateway that refuses it gets a new login instead, and the old session is logged
 * out.</li>
 * <li>Auto: bearer first; a gateway that does not answer tokens (3.6 answers {@code {}}, goscaleio-dell#192; 2.x has no
 * {@code /rest/}) gets the Basic login. The flavour found is kept for later logins, and remembered for the endpoint in
 * {@code stateDir/gateway-login} so that the next process tries it first (a command-line run does not pay the probe
 * each time); when the remembered flavour fails, the other one is tried.</li>
 * </ul>
 * A login answered after our deadline still opened a session on the gateway: its token is logged out when it
 * arrives ({@link LateAnswers}). No secret (password, token, refresh token) is ever put in a message or a log line.
 */
final class GatewayLogin {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLogin.class);
    static final String BASIC_LOGIN = "/api/login";
    static final String BASIC_LOGOUT = "/api/logout";
    static final String BEARER_LOGIN = "/rest/auth/login";
    static final String BEARER_REFRESH = "/rest/auth/refresh";
    static final String BEARER_LOGOUT = "/rest/auth/logout";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Tokens(@JsonProperty("access_token") String accessToken, @JsonProperty("refresh_token") String refreshToken,
                  @JsonProperty("expires_in") Long expiresIn) {
        @Override
        public String toString() {
            return "Tokens[expiresIn=" + expiresIn + "]";
        }
    }

    private final GatewayClient transport;
    private final ScaleIoSettings settings;
    private final Clock clock;
    private volatile Authentication flavour;
    private volatile boolean refreshRefused;
    private volatile String lastBearerAnswer;

    GatewayLogin(GatewayClient transport, ScaleIoSettings settings, Clock clock) {
        this.transport = transport;
        this.settings = settings;
        this.clock = clock;
        this.flavour = settings.authentication();
        this.rememberedFile = settings.stateDir().resolve("gateway-login");
    }

    private final Path rememberedFile;

    /** The flavour an earlier process found for this endpoint ({@code auto} only), or null. */
    private Authentication remembered() {
        try {
            String[] line = Files.readString(rememberedFile, StandardCharsets.UTF_8).strip().split(" ", 2);
            return line.length == 2 && line[1].equals(settings.endpoint().toString()) ? Authentication.of(line[0]) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private void remember(Authentication found) {
        if (found == remembered()) {
            return;
        }
        try {
            Files.createDirectories(rememberedFile.getParent());
            AtomicFiles.write(rememberedFile, (found.name().toLowerCase(Locale.ROOT) + " " + settings.endpoint() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("cannot remember the login flavour in {}: {}", rememberedFile, e.toString());
        }
    }

    /** A new session; {@code generation} is the one it gets. */
    GatewaySession login(ErrorContext ctx, long generation) {
        GatewaySession s = switch (flavour) {
            case BASIC -> basicLogin(ctx, generation, null);
            case BEARER -> bearerOrNull(ctx, generation, true);
            case AUTO -> remembered() == Authentication.BASIC ? basicThenBearer(ctx, generation) : bearerThenBasic(ctx, generation);
        };
        if (flavour == Authentication.AUTO) {
            flavour = s.bearer() ? Authentication.BEARER : Authentication.BASIC;
            remember(flavour);
            LOG.debug("gateway {} logs in with {} (scaleio.authentication: auto)", settings.endpoint(), s.bearer() ? "bearer tokens" : "Basic");
        }
        String version;
        try {
            version = settings.forcedApiVersion().orElseGet(() -> readVersion(ctx, s));
        } catch (RuntimeException e) {
            logout(s, "the API version could not be read");
            throw e;
        }
        LOG.debug("logged in to {} as {}, API version {}", settings.endpoint(), settings.userName(), version);
        return s.withVersion(version);
    }

    private GatewaySession bearerThenBasic(ErrorContext ctx, long generation) {
        GatewaySession bearer = bearerOrNull(ctx, generation, false);
        return bearer != null ? bearer : basicLogin(ctx, generation, lastBearerAnswer);
    }

    /** An earlier process found Basic: try it first; if this gateway now answers it with an error, the bearer login. */
    private GatewaySession basicThenBearer(ErrorContext ctx, long generation) {
        GatewayResponse r = basicRequest(ctx);
        if (r.ok()) {
            return basicSession(r, generation);
        }
        GatewaySession bearer = bearerOrNull(ctx, generation, false);
        if (bearer != null) {
            return bearer;
        }
        throw basicFailure(ctx, r, lastBearerAnswer);
    }

    private GatewaySession basicLogin(ErrorContext ctx, long generation, String bearerAnswer) {
        GatewayResponse r = basicRequest(ctx);
        if (!r.ok()) {
            throw basicFailure(ctx, r, bearerAnswer);
        }
        return basicSession(r, generation);
    }

    private GatewayResponse basicRequest(ErrorContext ctx) {
        String auth = GatewaySession.basic(settings.userName(), settings.password().reveal());
        return transport.sendLogin(ctx, "GET", BASIC_LOGIN, null, auth, late -> {
            if (late.ok()) {
                logout(new GatewaySession(false, GatewayClient.unquote(late), null, null, 0, null), "a login answered too late");
            }
        });
    }

    private static GatewaySession basicSession(GatewayResponse r, long generation) {
        return new GatewaySession(false, GatewayClient.unquote(r), null, null, generation, null);
    }

    private RuntimeException basicFailure(ErrorContext ctx, GatewayResponse r, String bearerAnswer) {
        String before = bearerAnswer == null ? "" : "; before that " + bearerAnswer;
        if (r.status() == 401 || r.status() == 403) {
            return new AuthenticationException(ctx, "the gateway " + settings.endpoint() + " rejected the credentials of user '"
                    + settings.userName() + "' (" + r.describe() + before + ")");
        }
        return new BackendUnavailableException(ctx, "login failed: " + r.describe() + before, r.status() >= 500, null);
    }

    /** The bearer session; when the gateway answers no tokens, an error if {@code required}, else null. */
    private GatewaySession bearerOrNull(ErrorContext ctx, long generation, boolean required) {
        Map<String, String> body = Map.of("username", settings.userName(), "password", settings.password().reveal());
        GatewayResponse r = transport.sendLogin(ctx, "POST", BEARER_LOGIN, body, null, late -> {
            Tokens t = late.ok() ? tokens(late) : null;
            if (t != null && t.accessToken() != null) {
                logout(new GatewaySession(true, t.accessToken(), t.refreshToken(), null, 0, null), "a login answered too late");
            }
        });
        Tokens t = r.ok() ? tokens(r) : null;
        if (t != null && t.accessToken() != null && !t.accessToken().isBlank()) {
            return bearerSession(t, null, generation);
        }
        // never describe() a 2xx answer: it could hold a token under another name
        String what = "POST " + BEARER_LOGIN + " answered " + (r.ok() ? "HTTP " + r.status() + " without an access_token" : r.describe());
        lastBearerAnswer = what;
        if (!required) {
            LOG.debug("{}; trying GET {}", what, BASIC_LOGIN);
            return null;
        }
        if (r.status() == 401 || r.status() == 403) {
            throw new AuthenticationException(ctx, "the gateway " + settings.endpoint() + " rejected the credentials of user '"
                    + settings.userName() + "' (" + what + ")");
        }
        throw new BackendUnavailableException(ctx, "bearer login failed: " + what
                + (r.ok() || r.status() == 404 ? "; this gateway may be older than PowerFlex 4.0: set scaleio.authentication to basic or auto" : ""),
                r.status() >= 500, null);
    }

    private GatewaySession bearerSession(Tokens t, String previousRefresh, long generation) {
        Instant renewAt = t.expiresIn() == null || t.expiresIn() <= 0 ? null
                : clock.instant().plus(Duration.ofSeconds(t.expiresIn()).multipliedBy(3).dividedBy(4));
        String refresh = t.refreshToken() != null && !t.refreshToken().isBlank() ? t.refreshToken() : previousRefresh;
        return new GatewaySession(true, t.accessToken(), refresh, null, generation, renewAt);
    }

    /**
     * The same gateway session with a new access token, or null when it cannot be renewed (a Basic session, no
     * refresh token, or the gateway refused): then the caller logs in again.
     */
    GatewaySession refresh(ErrorContext ctx, GatewaySession s, long generation) {
        if (!s.bearer() || s.refreshToken() == null || refreshRefused) {
            return null;
        }
        GatewayResponse r = transport.send(ctx, "POST", BEARER_REFRESH, Map.of("refresh_token", s.refreshToken()), null, null);
        Tokens t = r.ok() ? tokens(r) : null;
        if (t == null || t.accessToken() == null || t.accessToken().isBlank()) {
            if (r.status() == 404 || r.status() == 405 || r.ok()) {
                refreshRefused = true; // no such endpoint here: later renewals log in again directly
            }
            LOG.info("the gateway did not renew the access token (POST {} answered HTTP {}); logging in again", BEARER_REFRESH, r.status());
            return null;
        }
        LOG.debug("access token renewed");
        return bearerSession(t, s.refreshToken(), generation).withVersion(s.version());
    }

    /** Ends the session on the gateway; best effort (one attempt, failures logged without secrets). */
    void logout(GatewaySession s, String why) {
        try {
            GatewayResponse r = s.bearer()
                    ? (s.refreshToken() == null ? null
                            : transport.sendOnce("POST", BEARER_LOGOUT, Map.of("refresh_token", s.refreshToken()), s.authorization(settings.userName()), null))
                    : transport.sendOnce("GET", BASIC_LOGOUT, null, s.authorization(settings.userName()), s.version());
            if (r == null) {
                LOG.debug("bearer session without a refresh token: nothing to log out ({})", why);
            } else if (r.ok()) {
                LOG.debug("logged out of {} ({})", settings.endpoint(), why);
            } else {
                LOG.info("logout from {} ({}) answered HTTP {}; the session expires on the gateway by itself", settings.endpoint(), why, r.status());
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("logout from {} ({}) failed: {}; the session expires on the gateway by itself", settings.endpoint(), why,
                    e.getClass().getSimpleName());
        }
    }

    private String readVersion(ErrorContext ctx, GatewaySession s) {
        GatewayResponse r = transport.send(ctx, "GET", "/api/version", null, s.authorization(settings.userName()), null);
        if (!r.ok()) {
            throw new BackendUnavailableException(ctx, "cannot read the gateway's API version: " + r.describe(), r.status() >= 500, null);
        }
        String answer = GatewayClient.unquote(r);
        return ScaleIoSettings.majorMinor(answer).orElseThrow(() -> new BackendUnavailableException(ctx,
                "the gateway answered GET /api/version with '" + (answer.length() > 40 ? answer.substring(0, 40) + "…" : answer)
                        + "', not an API version such as 2.0; set scaleio.version to the gateway's version", false, null));
    }

    private static Tokens tokens(GatewayResponse r) {
        if (r.body().length == 0 || r.body()[0] != '{') {
            return null;
        }
        try {
            return GatewayResponse.Json.MAPPER.readValue(r.body(), Tokens.class);
        } catch (IOException e) {
            return null; // the exception text could quote the body
        }
    }
}
