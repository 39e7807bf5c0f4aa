package io.libstorage.emulator.vbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.emulator.vbox.FaultRule;
import io.libstorage.emulator.vbox.MachineInfo;
import io.libstorage.emulator.vbox.MachineState;
import io.libstorage.emulator.vbox.MediumInfo;
import io.libstorage.emulator.vbox.RequestRecord;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulator's own control API under {@code /admin/} (not part of the web service; documented in the module
 * README). Protected by a bearer token when one is configured. Admin calls are not in the request log.
 */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json;charset=UTF-8";

    private final Model model;
    private final SoapService soap;
    private final Faults faults;
    private final RequestLog log;
    private final Websessions websessions;
    private final String adminToken;
    private final Supplier<Map<String, Object>> status;

    public AdminApi(Model model, SoapService soap, Faults faults, RequestLog log, Websessions websessions, String adminToken,
                    Supplier<Map<String, Object>> status) {
        this.model = model;
        this.soap = soap;
        this.faults = faults;
        this.log = log;
        this.websessions = websessions;
        this.adminToken = adminToken;
        this.status = status;
    }

    SoapService.Reply handle(String method, String path, String query, String authorization, String body) {
        if (adminToken != null && (authorization == null || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8)))) {
            return error(401, "admin token required: Authorization: Bearer <token>");
        }
        try {
            JsonNode p = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            return route(method, path, query, p);
        } catch (JsonProcessingException e) {
            return error(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (IllegalStateException e) {
            return error(409, e.getMessage());
        } catch (ComError e) {
            return error(404, e.text());
        }
    }

    private SoapService.Reply route(String method, String path, String query, JsonNode p) {
        switch (method + " " + path) {
            case "GET /admin/status":
                return json(status.get());
            case "POST /admin/restart":
                soap.restart();
                return json(Map.of("restarted", true, "activeWebsessions", websessions.active()));
            case "GET /admin/requests":
                return json(requests(query));
            case "DELETE /admin/requests":
                log.reset();
                return json(Map.of("reset", true));
            case "GET /admin/faults":
                Map<String, Object> list = new LinkedHashMap<>();
                faults.list().forEach((id, r) -> list.put(id, faultJson(r)));
                return json(list);
            case "POST /admin/faults":
                return json(Map.of("id", faults.add(fault(p))));
            case "DELETE /admin/faults":
                faults.clear();
                return json(Map.of("cleared", true));
            case "GET /admin/progress":
                return json(Map.of("delayMillis", model.progressDelay().toMillis()));
            case "PUT /admin/progress":
                model.progressDelay(Duration.ofMillis(p.path("delayMillis").asLong(0)));
                return json(Map.of("delayMillis", model.progressDelay().toMillis()));
            case "POST /admin/progress/failures":
                model.failNextProgresses(p.path("times").asInt(1), resultCode(p.path("resultCode")),
                        p.path("text").asText("injected progress failure"));
                return json(Map.of("failing", p.path("times").asInt(1)));
            case "GET /admin/machines":
                return json(model.machines().stream().map(AdminApi::machineJson).toList());
            case "GET /admin/media":
                return json(model.media().stream().map(AdminApi::mediumJson).toList());
            default:
                break;
        }
        if (method.equals("DELETE") && path.startsWith("/admin/faults/")) {
            String id = path.substring("/admin/faults/".length());
            return faults.remove(id) ? json(Map.of("removed", id)) : error(404, "no fault " + id);
        }
        if (method.equals("PUT") && path.startsWith("/admin/machines/") && path.endsWith("/state")) {
            String nameOrId = path.substring("/admin/machines/".length(), path.length() - "/state".length());
            MachineState target = MachineState.parse(p.path("state").asText(""));
            model.setState(model.machineId(URLDecoder.decode(nameOrId, StandardCharsets.UTF_8)), target);
            return json(Map.of("machine", nameOrId, "state", target.name()));
        }
        return error(404, "no admin resource " + method + " " + path);
    }

    /** {@code "0x80bb0004"} or a number. */
    static int resultCode(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return ComError.E_FAIL;
        }
        if (n.isNumber()) {
            return (int) n.asLong();
        }
        String s = n.asText().strip().toLowerCase(Locale.ROOT);
        return s.startsWith("0x") ? (int) Long.parseLong(s.substring(2), 16) : (int) Long.parseLong(s);
    }

    static FaultRule fault(JsonNode p) {
        FaultRule.Kind kind = FaultRule.Kind.valueOf(p.path("kind").asText("").toUpperCase(Locale.ROOT));
        int defaultTimes = kind == FaultRule.Kind.LATENCY ? -1 : 1;
        return new FaultRule(kind, p.path("operation").asText(""), p.path("times").asInt(defaultTimes),
                resultCode(p.path("resultCode")), p.path("text").isMissingNode() ? null : p.path("text").asText(),
                p.path("httpStatus").asInt(503), p.has("latencyMillis") ? Duration.ofMillis(p.path("latencyMillis").asLong()) : null);
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
        for (RequestRecord r : log.records()) {
            if (r.seq() > since) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seq", r.seq());
                m.put("at", r.at().toString());
                m.put("operation", r.operation());
                m.put("status", r.httpStatus());
                m.put("fault", r.fault());
                m.put("body", r.body());
                records.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", log.total());
        out.put("counts", log.counts());
        out.put("records", records);
        return out;
    }

    private static Map<String, Object> faultJson(FaultRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name());
        m.put("operation", r.operationPattern());
        m.put("times", r.times());
        if (r.kind() == FaultRule.Kind.RUNTIME_FAULT) {
            m.put("resultCode", ComError.hex(r.resultCode()));
        }
        if (r.text() != null) {
            m.put("text", r.text());
        }
        if (r.kind() == FaultRule.Kind.HTTP_ERROR) {
            m.put("httpStatus", r.httpStatus());
        }
        if (r.latency() != null) {
            m.put("latencyMillis", r.latency().toMillis());
        }
        return m;
    }

    private static Map<String, Object> machineJson(MachineInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id().toString());
        m.put("name", v.name());
        m.put("state", v.state().name());
        m.put("sessionState", v.sessionState());
        m.put("macs", v.macs());
        m.put("controllers", v.controllers());
        m.put("attachments", v.attachments());
        m.put("diskIdPath", v.diskIdPath() == null ? null : v.diskIdPath().toString());
        return m;
    }

    private static Map<String, Object> mediumJson(MediumInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id().toString());
        m.put("location", v.location().toString());
        m.put("logicalSize", v.logicalSize());
        m.put("machineIds", v.machineIds());
        return m;
    }

    private static SoapService.Reply json(Object value) {
        try {
            return new SoapService.Reply(200, JSON_TYPE, JSON.writeValueAsString(value), false, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an admin answer", e);
        }
    }

    private static SoapService.Reply error(int status, String message) {
        try {
            return new SoapService.Reply(status, JSON_TYPE, JSON.writeValueAsString(Map.of("message", message)), false, message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
