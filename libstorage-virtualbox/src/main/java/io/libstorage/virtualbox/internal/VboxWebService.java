package io.libstorage.virtualbox.internal;

import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The VirtualBox web service client. One websession per instance: logon on first use; when a call meets an invalid
 * managed object reference the client tells a dead websession (restart, timeout: its {@code IVirtualBox} reference is
 * gone too) from a stale reference (released meanwhile, since vboxwebsrv hands one reference per object to every
 * holder): the first costs exactly one re-logon shared by every thread that saw the old websession (single flight),
 * the second none. Either way the work is run once more from the start, as none of its references can be trusted.
 *
 * <p>Work runs in {@link #withSession}; every reference it obtained is released when it ends. {@link #close()} logs
 * off. Thread-safe. Every request is counted per operation ({@link #calls()}).
 */
public final class VboxWebService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VboxWebService.class);

    private final VirtualBoxSettings settings;
    private final SoapTransport transport;
    private final SoapCallCounter calls = new SoapCallCounter();
    private final Object logonLock = new Object();
    private final AtomicLong logons = new AtomicLong();
    private volatile Websession websession;

    public VboxWebService(VirtualBoxSettings settings) {
        this(settings, new SoapTransport(settings));
    }

    VboxWebService(VirtualBoxSettings settings, SoapTransport transport) {
        this.settings = settings;
        this.transport = transport;
    }

    /** Runs {@code work} with the websession; see the class comment for what happens on invalid references. */
    public <T> T withSession(ErrorContext ctx, Function<VboxSession, T> work) {
        Websession ws = current(ctx);
        VboxSession first = new VboxSession(this, ws, ctx);
        try {
            return work.apply(first);
        } catch (VboxFault f) {
            if (!f.invalidObject()) {
                throw f;
            }
            Websession next = recover(ctx, ws, f);
            first.close();
            VboxSession second = new VboxSession(this, next, ctx);
            try {
                return work.apply(second);
            } finally {
                second.close();
            }
        } finally {
            first.close();
        }
    }

    public void run(ErrorContext ctx, Consumer<VboxSession> work) {
        withSession(ctx, s -> {
            work.accept(s);
            return null;
        });
    }

    /** Logs on now unless a websession exists (validates endpoint and credentials). */
    public void logon(ErrorContext ctx) {
        current(ctx);
    }

    /** Requests sent so far, per operation. */
    public SoapCallCounter calls() {
        return calls;
    }

    /** Logons performed so far (the first one included). */
    public long logons() {
        return logons.get();
    }

    public VirtualBoxSettings settings() {
        return settings;
    }

    private Websession current(ErrorContext ctx) {
        Websession ws = websession;
        return ws != null ? ws : relogon(ctx, -1);
    }

    private Websession recover(ErrorContext ctx, Websession ws, VboxFault f) {
        boolean dead = ws.vbox().id().equals(f.badObjectId()) || !alive(ctx, ws);
        if (dead) {
            ws.markDead();
            LOG.info("the VirtualBox web service no longer knows websession {} ({}); logging on again", ws.vbox().websession(),
                    f.faultString());
            return relogon(ctx, ws.generation());
        }
        LOG.debug("{} met a released reference in a live websession; running it again", f.operation());
        return ws;
    }

    private boolean alive(ErrorContext ctx, Websession ws) {
        try {
            call(ctx, SoapCall.on("IVirtualBox_getVersion", ws.vbox()));
            return true;
        } catch (VboxFault probe) {
            return !probe.invalidObject();
        }
    }

    /** Logs on unless another thread already did since {@code seenGeneration}. */
    private Websession relogon(ErrorContext ctx, long seenGeneration) {
        synchronized (logonLock) {
            Websession current = websession;
            if (current != null && current.generation() != seenGeneration) {
                return current;
            }
            SoapResponse r;
            try {
                r = call(ctx, SoapCall.of("IWebsessionManager_logon").text("username", settings.userName())
                        .secret("password", settings.password().reveal()));
            } catch (VboxFault refused) {
                throw new AuthenticationException(ctx, "the VirtualBox web service " + settings.endpoint() + " refused the logon of user '"
                        + settings.userName() + "' (" + refused.faultString() + ")");
            } finally {
                logons.incrementAndGet();
            }
            String ref = r.single().strip();
            if (ref.isEmpty()) {
                throw new BackendUnavailableException(ctx, "the VirtualBox web service " + settings.endpoint()
                        + " answered the logon without a session reference", false, null);
            }
            Websession ws = new Websession(new Ref(ref), current == null ? 1 : current.generation() + 1);
            websession = ws;
            LOG.debug("logged on to {} as '{}' (websession {})", settings.endpoint(), settings.userName(), ws.vbox().websession());
            return ws;
        }
    }

    /** Sends one request and parses the answer. Faults are thrown as {@link VboxFault}; transport trouble as BackendUnavailable. */
    SoapResponse call(ErrorContext ctx, SoapCall call) {
        calls.record(call.operation());
        SoapTransport.Answer a;
        try {
            a = transport.post(SoapEnvelope.bytes(call));
        } catch (IOException e) {
            throw new BackendUnavailableException(ctx, "the VirtualBox web service " + settings.endpoint() + " did not answer "
                    + call.operation() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is vboxwebsrv running on the host and reachable from this guest?)", true, e);
        }
        try {
            return SoapResponseParser.parse(call.operation(), a.body());
        } catch (SoapResponse.SoapFormatException e) {
            if (a.status() / 100 != 2) {
                throw new BackendUnavailableException(ctx, "the VirtualBox web service " + settings.endpoint() + " answered "
                        + call.operation() + " with HTTP " + a.status() + " and no SOAP fault", a.status() >= 500, null);
            }
            throw new BackendUnavailableException(ctx, e.getMessage() + " (from " + settings.endpoint() + ")", false, null);
        }
    }

    /** Logs off (best effort) and closes the connections. */
    @Override
    public void close() {
        Websession ws = websession;
        websession = null;
        if (ws != null) {
            try {
                call(ErrorContext.of("close"), SoapCall.of("IWebsessionManager_logoff").ref("refIVirtualBox", ws.vbox()));
            } catch (RuntimeException e) {
                LOG.debug("logoff from {} failed: {}", settings.endpoint(), e.getMessage());
            }
        }
        transport.close();
    }

    @Override
    public String toString() {
        return "VboxWebService[" + settings.endpoint() + ", user=" + settings.userName() + "]";
    }
}
