package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.emulator.scaleio.ApiMode;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SdcState;
import io.libstorage.emulator.scaleio.SdcStatus;
import io.libstorage.emulator.scaleio.internal.Model.HostRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.host.MdmServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything behind the HTTP front end: authentication, fault injection, the request log and the model.
 * The embeddable facade, the admin API and the gateway API all go through it.
 */
public final class EmulatorCore {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorCore.class);
    private static final Pattern VERSION_PARAM = Pattern.compile("version\\s*=\\s*([^;,\\s]+)");
    private static final Pattern MAJOR_MINOR = Pattern.compile("\\d+\\.\\d+");
    /** Marks a call whose connection is to be closed without an answer. */
    static final Reply DROP = new Reply(0, -1, null, Map.of(), null);

    private final Gateway gateway;
    private final TokenStore tokens;
    private final Faults faults = new Faults();
    private final RequestLog requestLog;
    private final Clock clock;
    private final String userName;
    private final String password;
    private final String apiVersion;
    private final ApiMode mode;
    private final boolean versionRequiresAuth;
    private final ApiRouter router;
    private final AtomicBoolean mdmReachable = new AtomicBoolean(true);
    private final AtomicBoolean nonJsonUnauthorized = new AtomicBoolean();
    private volatile MdmServer mdmServer;

    /**
     * One gateway call as the front end received it.
     *
     * @param method        HTTP method
     * @param path          raw path
     * @param authorization the Authorization header or null
     * @param accept        the Accept header or null
     * @param contentType   the Content-Type header or null
     * @param body          the body ("" when none)
     */
    public record Call(String method, String path, String authorization, String accept, String contentType, String body) {
        @Override
        public String toString() {
            return method + " " + path; // never the Authorization header
        }
    }

    public EmulatorCore(Gateway gateway, TokenStore tokens, Clock clock, String userName, String password, String apiVersion,
                        boolean versionRequiresAuth, String systemVersionName, int requestLogCapacity) {
        this.gateway = gateway;
        this.tokens = tokens;
        this.clock = clock;
        this.userName = userName;
        this.password = password;
        this.apiVersion = apiVersion;
        this.mode = ApiMode.of(apiVersion);
        this.versionRequiresAuth = versionRequiresAuth;
        this.requestLog = new RequestLog(requestLogCapacity);
        this.router = new ApiRouter(gateway, new JsonViews(gateway.connectivity(), systemVersionName, mode == ApiMode.V4), userName);
    }

    public Gateway gateway() {
        return gateway;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public Faults faults() {
        return faults;
    }

    public RequestLog requestLog() {
        return requestLog;
    }

    public void mdmServer(MdmServer server) {
        this.mdmServer = server;
    }

    public boolean mdmReachable() {
        return mdmReachable.get();
    }

    public void mdmReachable(boolean reachable) {
        mdmReachable.set(reachable);
    }

    public void nonJsonUnauthorized(boolean nonJson) {
        nonJsonUnauthorized.set(nonJson);
    }

    public boolean nonJsonUnauthorized() {
        return nonJsonUnauthorized.get();
    }

    /** Closes every SDC agent connection to the MDM port (agents see their socket end). */
    public void dropSdcConnections() {
        MdmServer s = mdmServer;
        if (s != null) {
            s.dropAll();
        }
    }

    // ------------------------------------------------------------------ SDCs

    public SdcStatus registerSdc(SdcSpec spec) {
        return status(gateway.sdcs().registerSdc(spec));
    }

    public List<SdcStatus> sdcStatuses() {
        List<SdcStatus> out = new ArrayList<>();
        for (SdcRec s : gateway.sdcs().all()) {
            out.add(status(s));
        }
        return out;
    }

    /** Forces the state of every SDC of a host (null: back to the agent connection). */
    public void overrideSdcState(String guid, SdcState state) {
        String g = guid.toUpperCase(Locale.ROOT);
        if (!gateway.sdcs().knowsGuid(g)) {
            throw new IllegalArgumentException("unknown SDC GUID " + guid);
        }
        gateway.connectivity().override(g, state);
    }

    private SdcStatus status(SdcRec s) {
        Connectivity.View v = gateway.connectivity().view(s.guid());
        HostRec h = gateway.sdcs().host(s.guid());
        return new SdcStatus(s.guid(), s.systemId(), s.id(), s.ip(), s.name(), v.state(), v.override(), v.connections(),
                v.changedAt(), h.deviceDir(), h.drvCfg());
    }

    // ------------------------------------------------------------------ gateway calls

    /** Handles one {@code /api/...} call and records it; returns {@link #DROP} to close the connection unanswered. */
    Reply handle(Call call) {
        Instant at = clock.instant();
        Reply reply;
        try {
            reply = process(call);
        } catch (GatewayException e) {
            reply = Reply.error(e);
        } catch (RuntimeException e) {
            LOG.warn("internal error on {}", call, e);
            reply = Reply.error(500, 0, "Internal error: " + e.getMessage());
        }
        String version = versionParameter(call.accept());
        // bodies under /rest/auth/ hold the password or a refresh token: the log (and the admin API) never shows them
        requestLog.add(at, call.method(), call.path(), reply.status(), reply.errorCode(),
                call.path().startsWith(REST_AUTH) ? "" : call.body(),
                version != null ? version : versionParameter(call.contentType()));
        return reply;
    }

    private static final String REST_AUTH = "/rest/auth/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reply process(Call call) {
        String path = call.path();
        if (path.startsWith(REST_AUTH) && mode != ApiMode.CLASSIC) {
            return restAuth(call);
        }
        if (!path.startsWith("/api/")) {
            throw new GatewayException(404, 0, "No resource found for " + call.method() + " " + path);
        }
        if (path.equals("/api/login")) {
            requireGet(call);
            String[] credentials = basic(call.authorization());
            if (credentials == null || !TokenStore.same(credentials[0], userName) || !TokenStore.same(credentials[1], password)) {
                return Reply.unauthorized(nonJsonUnauthorized.get());
            }
            Reply fault = injectedFault(call);
            if (fault != null) {
                return fault;
            }
            requireMdm();
            return Reply.jsonString(tokens.issue(userName));
        }
        boolean version = path.equals("/api/version");
        String token = null;
        if (!version || versionRequiresAuth) {
            token = token(call.authorization());
            // 4.x takes a session token as Basic password only to read the version and to log out (dell/python-powerflex
            // reads /api/version so); every other call wants it as a bearer token (goscaleio-dell from 4.0 on)
            boolean basicRefused = mode == ApiMode.V4 && !version && !path.equals("/api/logout") && basic(call.authorization()) != null;
            if (basicRefused || !tokens.use(token)) {
                return Reply.unauthorized(nonJsonUnauthorized.get());
            }
        }
        checkVersionParameter(call.accept());
        checkVersionParameter(call.contentType());
        Reply fault = injectedFault(call);
        if (fault != null) {
            return fault;
        }
        if (path.equals("/api/logout")) {
            requireGet(call);
            tokens.invalidate(token);
            return Reply.empty();
        }
        if (version) {
            requireGet(call);
            return Reply.jsonString(apiVersion);
        }
        requireMdm();
        Params params = call.method().equals("POST") ? Params.parse(call.body()) : Params.empty();
        return router.route(call.method(), path, params);
    }

    /** The session token of a call: the Basic password (any user name, including empty: reference 1.3), or on 4.x a bearer token. */
    private String token(String authorization) {
        if (mode == ApiMode.V4 && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        String[] credentials = basic(authorization);
        return credentials == null ? null : credentials[1];
    }

    /** {@code /rest/auth/...}: 3.6 answers {@code {}} to a login and knows nothing else; 4.x logs in, refreshes, logs out. */
    private Reply restAuth(Call call) {
        String path = call.path();
        if (!call.method().equals("POST")) {
            throw new GatewayException(405, 0, "Request method '" + call.method() + "' not supported");
        }
        if (mode == ApiMode.V3_6) {
            if (path.equals(REST_AUTH + "login")) {
                return Reply.json(g -> {
                    g.writeStartObject();
                    g.writeEndObject();
                });
            }
            throw new GatewayException(404, 0, "No resource found for " + call.method() + " " + path);
        }
        JsonNode body = jsonObject(call.body());
        switch (path.substring(REST_AUTH.length())) {
            case "login" -> {
                String user = text(body, "username");
                String pass = text(body, "password");
                if (user == null || pass == null || !TokenStore.same(user, userName) || !TokenStore.same(pass, password)) {
                    return Reply.unauthorized(nonJsonUnauthorized.get());
                }
                Reply fault = injectedFault(call);
                if (fault != null) {
                    return fault;
                }
                return bearer(tokens.issueBearer(userName));
            }
            case "refresh" -> {
                TokenStore.BearerTokens t = tokens.refresh(text(body, "refresh_token"));
                return t == null ? Reply.unauthorized(nonJsonUnauthorized.get()) : bearer(t);
            }
            case "logout" -> {
                return tokens.logoutRefresh(text(body, "refresh_token")) ? Reply.noContent() : Reply.unauthorized(nonJsonUnauthorized.get());
            }
            default -> throw new GatewayException(404, 0, "No resource found for " + call.method() + " " + path);
        }
    }

    private static Reply bearer(TokenStore.BearerTokens t) {
        return Reply.json(g -> {
            g.writeStartObject();
            g.writeStringField("access_token", t.accessToken());
            g.writeNumberField("expires_in", t.expiresInSeconds());
            g.writeStringField("refresh_token", t.refreshToken());
            g.writeStringField("token_type", "Bearer");
            g.writeEndObject();
        });
    }

    private static JsonNode jsonObject(String body) {
        try {
            JsonNode n = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // answered below
        }
        throw GatewayException.badRequest("Request message is not valid: the body must be a JSON object.");
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static void requireGet(Call call) {
        if (!call.method().equals("GET")) {
            throw new GatewayException(405, 0, "Request method '" + call.method() + "' not supported");
        }
    }

    private void requireMdm() {
        if (!mdmReachable.get()) {
            throw new GatewayException(500, 0, "Failed to connect to the MDM: the MDM cluster is unreachable");
        }
    }

    /** An API version the gateway does not understand (e.g. {@code 2.0.1}) fails every call (libstorage#393). */
    private static void checkVersionParameter(String header) {
        String v = versionParameter(header);
        if (v != null && !MAJOR_MINOR.matcher(v).matches()) {
            throw new GatewayException(404, 0, "Unsupported API version: " + v);
        }
    }

    /** The {@code version=} parameter of a media type header, or null. */
    private static String versionParameter(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = VERSION_PARAM.matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private Reply injectedFault(Call call) {
        FaultRule rule = faults.take(call.method(), call.path());
        if (rule == null) {
            return null;
        }
        return switch (rule.kind()) {
            case ERROR -> Reply.error(rule.httpStatus(), rule.errorCode(), rule.message() == null ? "Injected fault" : rule.message());
            case UNAUTHORIZED -> Reply.unauthorized(nonJsonUnauthorized.get());
            case LOSE -> Reply.empty();
            case DROP_CONNECTION -> DROP;
            case LATENCY -> {
                sleep(rule.latency().toMillis());
                yield null;
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code [user, password]} from a Basic header, or null. */
    private static String[] basic(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
