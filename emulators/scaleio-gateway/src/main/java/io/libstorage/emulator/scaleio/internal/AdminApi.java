package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SdcState;
import io.libstorage.emulator.scaleio.SdcStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulator's own control API under {@code /admin/} (not part of the gateway protocol; documented in the
 * module README). Protected by a bearer token when one is configured. Calls here are not in the request log.
 */
final class AdminApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EmulatorCore core;
    private final String adminToken;
    private final Supplier<Map<String, Object>> status;
    private final Supplier<String> certificatePem;

    AdminApi(EmulatorCore core, String adminToken, Supplier<Map<String, Object>> status, Supplier<String> certificatePem) {
        this.core = core;
        this.adminToken = adminToken;
        this.status = status;
        this.certificatePem = certificatePem;
    }

    Reply handle(String method, String path, String query, String authorization, String body) {
        if (adminToken != null && (authorization == null || !TokenStore.same(authorization, "Bearer " + adminToken))) {
            return adminError(401, "admin token required: Authorization: Bearer <token>");
        }
        try {
            return route(method, path, query, Params.parse(method.equals("GET") || method.equals("DELETE") ? "" : body));
        } catch (GatewayException e) {
            return adminError(e.httpStatus(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return adminError(400, e.getMessage());
        }
    }

    private Reply route(String method, String path, String query, Params p) {
        String key = method + " " + path;
        switch (key) {
            case "GET /admin/status":
                return json(status.get());
            case "GET /admin/certificate":
                String pem = certificatePem.get();
                return pem == null ? adminError(404, "TLS is off") : Reply.text(200, "application/x-pem-file", pem);
            case "POST /admin/restart":
                core.tokens().invalidateAll();
                return json(Map.of("restarted", true));
            case "GET /admin/requests":
                return json(requests(query));
            case "DELETE /admin/requests":
                core.requestLog().reset();
                return json(Map.of("reset", true));
            case "GET /admin/faults":
                Map<String, Object> faults = new LinkedHashMap<>();
                core.faults().list().forEach((id, rule) -> faults.put(id, faultJson(rule)));
                return json(faults);
            case "POST /admin/faults":
                return json(Map.of("id", core.faults().add(fault(p))));
            case "DELETE /admin/faults":
                core.faults().clear();
                return json(Map.of("cleared", true));
            case "GET /admin/mdm":
                return json(Map.of("reachable", core.mdmReachable()));
            case "PUT /admin/mdm":
                core.mdmReachable(p.bool("reachable", true));
                return json(Map.of("reachable", core.mdmReachable()));
            case "POST /admin/mdm/drop-connections":
                core.dropSdcConnections();
                return json(Map.of("dropped", true));
            case "GET /admin/auth":
                return json(Map.of("nonJsonUnauthorized", core.nonJsonUnauthorized(), "activeTokens", core.tokens().active()));
            case "PUT /admin/auth":
                core.nonJsonUnauthorized(p.bool("nonJsonUnauthorized", false));
                return json(Map.of("nonJsonUnauthorized", core.nonJsonUnauthorized()));
            case "GET /admin/sdcs":
                List<Object> list = new ArrayList<>();
                core.sdcStatuses().forEach(s -> list.add(sdcJson(s)));
                return json(list);
            case "POST /admin/sdcs":
                SdcSpec spec = SdcSpec.of(p.required("guid"), p.required("ip")).withName(p.string("name"))
                        .inSystem(p.string("system"));
                if (p.string("deviceDir") != null) {
                    spec = spec.withDeviceDir(Path.of(p.string("deviceDir")));
                }
                if (p.string("drvCfg") != null) {
                    spec = spec.withDrvCfg(Path.of(p.string("drvCfg")));
                }
                return json(sdcJson(core.registerSdc(spec)));
            default:
                break;
        }
        if (method.equals("DELETE") && path.startsWith("/admin/faults/")) {
            String id = path.substring("/admin/faults/".length());
            return core.faults().remove(id) ? json(Map.of("removed", id)) : adminError(404, "no fault " + id);
        }
        if (method.equals("PUT") && path.startsWith("/admin/sdcs/") && path.endsWith("/state")) {
            String guid = path.substring("/admin/sdcs/".length(), path.length() - "/state".length());
            String state = p.string("state");
            core.overrideSdcState(guid, state == null || state.isEmpty() || state.equalsIgnoreCase("auto") ? null : SdcState.parse(state));
            return json(Map.of("guid", guid.toUpperCase(Locale.ROOT), "override", state == null ? "auto" : state));
        }
        return adminError(404, "no admin resource " + key);
    }

    private Map<String, Object> requests(String query) {
        long since = 0;
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("since=")) {
                    since = Long.parseLong(part.substring("since=".length()));
                }
            }
        }
        List<Object> records = new ArrayList<>();
        for (RequestRecord r : core.requestLog().records()) {
            if (r.seq() > since) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seq", r.seq());
                m.put("at", r.at().toString());
                m.put("method", r.method());
                m.put("path", r.path());
                m.put("endpoint", r.endpoint());
                m.put("status", r.status());
                m.put("errorCode", r.errorCode());
                m.put("body", r.body());
                m.put("apiVersion", r.apiVersion());
                records.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", core.requestLog().total());
        out.put("counts", core.requestLog().counts());
        out.put("records", records);
        return out;
    }

    static FaultRule fault(Params p) {
        FaultRule.Kind kind = FaultRule.Kind.valueOf(p.required("kind").toUpperCase(Locale.ROOT));
        Long times = p.longValue("times");
        Long latency = p.longValue("latencyMillis");
        Long status = p.longValue("httpStatus");
        Long code = p.longValue("errorCode");
        int defaultTimes = kind == FaultRule.Kind.LATENCY ? -1 : 1;
        return new FaultRule(kind, p.string("method"), p.required("path"), times == null ? defaultTimes : times.intValue(),
                status == null ? 500 : status.intValue(), code == null ? 0 : code.intValue(), p.string("message"),
                latency == null ? null : Duration.ofMillis(latency));
    }

    private static Map<String, Object> faultJson(FaultRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name());
        m.put("method", r.method());
        m.put("path", r.pathPattern());
        m.put("times", r.times());
        if (r.kind() == FaultRule.Kind.ERROR) {
            m.put("httpStatus", r.httpStatus());
            m.put("errorCode", r.errorCode());
            m.put("message", r.message());
        }
        if (r.latency() != null) {
            m.put("latencyMillis", r.latency().toMillis());
        }
        return m;
    }

    private static Map<String, Object> sdcJson(SdcStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guid", s.guid());
        m.put("systemId", s.systemId());
        m.put("sdcId", s.sdcId());
        m.put("ip", s.ip());
        m.put("name", s.name());
        m.put("mdmConnectionState", s.state().wireName());
        m.put("override", s.override() == null ? null : s.override().wireName());
        m.put("connections", s.connections());
        m.put("stateChangedAt", s.changedAt().toString());
        m.put("deviceDir", s.deviceDir().toString());
        m.put("drvCfg", s.drvCfg().toString());
        return m;
    }

    private static Reply json(Object value) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(value);
            return new Reply(200, -1, Reply.JSON, Map.of(), out -> out.write(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render admin answer", e);
        }
    }

    private static Reply adminError(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", message);
        m.put("httpStatusCode", status);
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(m);
            return new Reply(status, -1, Reply.JSON, Map.of(), out -> out.write(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
