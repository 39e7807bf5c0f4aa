package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.FaultRule;
import io.libstorage.emulator.vbox.internal.soap.SoapFault;
import io.libstorage.emulator.vbox.internal.soap.SoapRequest;
import io.libstorage.emulator.vbox.internal.soap.SoapRequestReader;
import io.libstorage.emulator.vbox.internal.soap.SoapResponseWriter;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The web service: decodes a request, applies injected faults, runs the operation under the model lock and encodes
 * the answer or the fault as vboxwebsrv does (HTTP 500 for every fault; VirtualBox errors as {@code RuntimeFault}
 * with "VirtualBox error: rc=0x… text (0x…)" and an {@code IVirtualBoxErrorInfo} reference in the detail).
 */
public final class SoapService {
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";

    /** An HTTP answer; {@code drop} closes the connection without one; {@code fault} is the fault string sent, if any. */
    public record Reply(int status, String contentType, String body, boolean drop, String fault) {
    }

    private final Model model;
    private final Websessions websessions;
    private final Faults faults;
    private final RequestLog log;
    private final Clock clock;
    private final Operations operations = new Operations();

    /**
     * @param credentials accepted user name and password, or null for no authentication (any logon succeeds)
     */
    public SoapService(Model model, Websessions websessions, Faults faults, RequestLog log, Clock clock, String[] credentials,
                       String version, String apiVersion) {
        this.model = model;
        this.websessions = websessions;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
        WebsessionOps.register(operations, model, websessions, credentials);
        VirtualBoxOps.register(operations, model, version, apiVersion);
        MachineOps.register(operations, model);
        MediumOps.register(operations, model);
        ProgressOps.register(operations);
    }

    /** The operations implemented; every other one gets gSOAP's "not implemented" fault. */
    public Set<String> operations() {
        return operations.names();
    }

    /** A web-service restart: every websession and reference becomes invalid and their session locks are released. */
    public void restart() {
        model.endSessions(websessions.restart());
    }

    public Reply handle(String method, String body) {
        Instant at = clock.instant();
        if (!"POST".equals(method)) {
            return logged(at, method, body, fault(SoapFault.client("HTTP GET method not implemented")));
        }
        model.endSessions(websessions.expire());
        SoapRequest request;
        try {
            request = SoapRequestReader.read(body);
        } catch (SoapFault f) {
            return logged(at, "?", body, fault(f));
        }
        String op = request.operation();
        FaultRule rule = faults.take(op);
        if (rule != null) {
            Reply injected = inject(rule, request);
            if (injected != null) {
                return logged(at, op, body, injected);
            }
        }
        return logged(at, op, body, dispatch(request));
    }

    private Reply inject(FaultRule rule, SoapRequest request) {
        String self = request.first("_this") == null ? "" : request.first("_this");
        return switch (rule.kind()) {
            case LATENCY -> {
                sleep(rule.latency().toMillis());
                yield null;
            }
            case RESTART -> {
                restart();
                yield null;
            }
            case DROP_CONNECTION -> new Reply(0, null, null, true, null);
            case HTTP_ERROR -> new Reply(rule.httpStatus(), "text/plain; charset=utf-8",
                    rule.text() == null ? "" : rule.text(), false, null);
            case INVALID_OBJECT -> fault(SoapFault.invalidObject(self));
            case RUNTIME_FAULT -> fault(runtimeFault(self, new ComError(rule.resultCode(), "Emulator", rule.text())));
        };
    }

    private Reply dispatch(SoapRequest request) {
        String op = request.operation();
        Operations.Handler handler = operations.get(op);
        if (handler == null || !SoapRequest.VBOX_NS.equals(request.namespace())) {
            return fault(SoapFault.client("Method '" + request.qualifiedName()
                    + "' not implemented: method name or namespace not recognized"));
        }
        Call call = new Call(request, websessions);
        try {
            List<?> values;
            if (operations.isBlocking(op)) {
                values = handler.handle(call);
            } else {
                synchronized (model) {
                    values = handler.handle(call);
                }
            }
            return new Reply(200, CONTENT_TYPE, SoapResponseWriter.response(op, values), false, null);
        } catch (SoapFault f) {
            return fault(f);
        } catch (ComError e) {
            return fault(runtimeFault(call.thisRef(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fault(runtimeFault(call.thisRef(), new ComError(ComError.E_FAIL, "Progress", "interrupted")));
        }
    }

    private SoapFault runtimeFault(String self, ComError e) {
        String ref = websessions.refIn(self, new ErrorInfo(e.resultCode(), e.text(), e.component(), "", null));
        String rc = ComError.hex(e.resultCode());
        return new SoapFault("SOAP-ENV:Client", "VirtualBox error: rc=" + rc + " " + e.text() + " (" + rc + ")",
                new SoapFault.Runtime(e.resultCode(), ref));
    }

    private static Reply fault(SoapFault f) {
        return new Reply(500, CONTENT_TYPE, SoapResponseWriter.fault(f), false, f.faultString());
    }

    private Reply logged(Instant at, String operation, String body, Reply reply) {
        log.add(at, operation, reply.drop() ? 0 : reply.status(), reply.fault(), body);
        return reply;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
