package io.libstorage.docker.internal;

import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.docker.PluginExtension;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP side of the Docker volume plugin protocol v1, as dockerd 20.10 speaks it: every call is
 * {@code POST /<Method>} with a JSON body (or none, for {@code /Plugin.Activate}), any or no
 * {@code Content-Type}; answers are JSON with {@code Content-Type: application/vnd.docker.plugins.v1.2+json}.
 *
 * <ul>
 *   <li>Success: HTTP 200 with {@code "Err":""} (Activate answers only {@code Implements}).</li>
 *   <li>A failed operation: HTTP 500 with {@code {"Err":"<message of the library's exception>","Code":"<its code()>"}};
 *       the message names operation, volume, host and back end and is never empty.</li>
 *   <li>Protocol errors: 400 (a body that is not UTF-8 JSON, not an object, beyond {@link ProtocolJson}'s limits, with a
 *       field of the wrong type or given twice: {@code BAD_JSON}; no {@code Name} where one is needed: {@code MISSING_FIELD}),
 *       404 (unknown endpoint; dockerd then treats optional endpoints such as Capabilities as absent), 405 (not POST),
 *       408 (a body, or with {@link HeadDeadlineEndPoint} the headers, sent too slowly: {@code REQUEST_TIMEOUT}),
 *       413 (body too large), each with the same {@code Err}/{@code Code} body.</li>
 *   <li>A defect of the plugin itself: HTTP 500 {@code OPERATION_FAILED} saying so; the details go to the log only.</li>
 * </ul>
 * The body is read asynchronously and the operation runs on an {@link OperationRunner}, so no HTTP
 * thread waits for storage. A call's deadline counts from the end of its headers and covers reading
 * its body. Thread-safe.
 */
public final class PluginHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHandler.class);

    /** dockerd's own per-call deadlines (moby daemon/volume/drivers/proxy.go). */
    private static final Duration LONG_CALL = Duration.ofMinutes(2);
    private static final Duration SHORT_CALL = Duration.ofMinutes(1);

    /** The endpoints; {@code serial} ones change a volume and run one after the other per volume name. */
    enum Endpoint {
        ACTIVATE("/Plugin.Activate", "activate", false, SHORT_CALL),
        CAPABILITIES("/VolumeDriver.Capabilities", "capabilities", false, SHORT_CALL),
        CREATE("/VolumeDriver.Create", "create", true, LONG_CALL),
        REMOVE("/VolumeDriver.Remove", "remove", true, SHORT_CALL),
        MOUNT("/VolumeDriver.Mount", "mount", true, LONG_CALL),
        UNMOUNT("/VolumeDriver.Unmount", "unmount", true, SHORT_CALL),
        PATH("/VolumeDriver.Path", "path", false, SHORT_CALL),
        GET("/VolumeDriver.Get", "get", false, SHORT_CALL),
        LIST("/VolumeDriver.List", "list", false, SHORT_CALL);

        final String path;
        final String operation;
        final boolean serial;
        final Duration dockerDeadline;

        Endpoint(String path, String operation, boolean serial, Duration dockerDeadline) {
            this.path = path;
            this.operation = operation;
            this.serial = serial;
            this.dockerDeadline = dockerDeadline;
        }

        String method() {
            return path.substring(1);
        }

        static Optional<Endpoint> of(String path) {
            return Arrays.stream(values()).filter(e -> e.path.equals(path)).findFirst();
        }
    }

    /** The least time left to an operation whose body took almost all of its deadline. */
    private static final Duration MIN_OPERATION_TIME = Duration.ofMillis(100);

    /** Longest Mount/Unmount {@code ID} accepted. */
    static final int MAX_ID_CHARS = 256;

    private final VolumeDriverService service;
    private final OperationRunner runner;
    private final Duration operationTimeout;
    private final int maxRequestBytes;

    private final Map<String, PluginExtension> extensions;

    public PluginHandler(VolumeDriverService service, OperationRunner runner, Duration operationTimeout, int maxRequestBytes) {
        this(service, runner, operationTimeout, maxRequestBytes, Map.of());
    }

    /** A handler that also serves {@code extensions} ({@code POST /<method>}); protocol method names are refused. */
    public PluginHandler(VolumeDriverService service, OperationRunner runner, Duration operationTimeout, int maxRequestBytes,
                         Map<String, PluginExtension> extensions) {
        this.service = service;
        this.runner = runner;
        this.operationTimeout = operationTimeout;
        this.maxRequestBytes = maxRequestBytes;
        this.extensions = checkExtensions(extensions);
    }

    /**
     * A copy of {@code extensions}, checked: a method name must be non-empty, without {@code /}, and not one of the protocol's.
     *
     * @throws IllegalArgumentException naming the method that cannot be an extension's
     */
    public static Map<String, PluginExtension> checkExtensions(Map<String, PluginExtension> extensions) {
        Map<String, PluginExtension> copy = Map.copyOf(extensions);
        for (String m : copy.keySet()) {
            if (m.isEmpty() || m.contains("/") || Endpoint.of("/" + m).isPresent()) {
                throw new IllegalArgumentException("'" + m + "' cannot be an extension's method name");
            }
        }
        return copy;
    }

    /** The deadline of a call: the configured timeout, capped at 90% of dockerd's deadline for it. */
    Duration deadline(Endpoint e) {
        Duration cap = e.dockerDeadline.multipliedBy(9).dividedBy(10);
        return operationTimeout.compareTo(cap) < 0 ? operationTimeout : cap;
    }

    /**
     * How long the headers of a request may take from their first byte: the shortest deadline of any call
     * (the endpoint, and so the call's own deadline, is not known before they have arrived).
     */
    public Duration headDeadline() {
        return Arrays.stream(Endpoint.values()).map(this::deadline).min(Duration::compareTo).orElseThrow();
    }

    @Override
    public boolean handle(Request request, Response response, Callback requestCallback) {
        Callback callback = HeadDeadlineEndPoint.track(request, requestCallback);
        String path = request.getHttpURI().getPath();
        Optional<Endpoint> endpoint = Endpoint.of(path == null ? "" : path);
        PluginExtension extension = path == null || !path.startsWith("/") ? null : extensions.get(path.substring(1));
        if (endpoint.isEmpty() && extension != null) {
            handleExtension(path.substring(1), extension, request, response, callback);
            return true;
        }
        if (endpoint.isEmpty()) {
            Content.Source.consumeAll(request, Callback.NOOP);
            sendError(response, callback, new ProtocolException(HttpStatus.NOT_FOUND_404, "UNKNOWN_ENDPOINT",
                    "unknown endpoint '" + printable(path) + "'; this Docker volume plugin serves "
                            + Arrays.stream(Endpoint.values()).map(e -> e.path).toList()), null);
            return true;
        }
        Endpoint e = endpoint.get();
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            sendError(response, callback, new ProtocolException(HttpStatus.METHOD_NOT_ALLOWED_405, "METHOD_NOT_ALLOWED",
                    e.path + " must be called with POST, not " + printable(request.getMethod())), e);
            return true;
        }
        long length = request.getLength();
        if (length > maxRequestBytes) {
            sendError(response, callback, tooLarge(length + " bytes"), e);
            return true;
        }
        // the call's deadline covers its body too: a body trickled by the client is answered 408 in time
        long started = System.nanoTime();
        Duration deadline = deadline(e);
        BoundedBody.read(request, maxRequestBytes, request.getComponents().getScheduler(), deadline,
                () -> new ProtocolException(HttpStatus.REQUEST_TIMEOUT_408, "REQUEST_TIMEOUT", "the request body did not arrive within "
                        + deadline.toMillis() + " ms (the deadline of " + e.path + ")")).whenComplete((body, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                sendError(response, callback, cause instanceof ProtocolException ? cause : unreadableBody(cause), e);
                return;
            }
            Duration left = deadline.minusNanos(System.nanoTime() - started);
            dispatch(e, body, left.compareTo(MIN_OPERATION_TIME) < 0 ? MIN_OPERATION_TIME : left, response, callback);
        });
        return true;
    }

    /** An extension's call: POST, a bounded JSON object body, run on the runner (not serialised) within the shortest deadline. */
    private void handleExtension(String method, PluginExtension extension, Request request, Response response, Callback callback) {
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            sendError(response, callback, new ProtocolException(HttpStatus.METHOD_NOT_ALLOWED_405, "METHOD_NOT_ALLOWED",
                    "/" + method + " must be called with POST, not " + printable(request.getMethod())), null);
            return;
        }
        long length = request.getLength();
        if (length > maxRequestBytes) {
            sendError(response, callback, tooLarge(length + " bytes"), null);
            return;
        }
        long started = System.nanoTime();
        Duration deadline = headDeadline();
        BoundedBody.read(request, maxRequestBytes, request.getComponents().getScheduler(), deadline,
                () -> new ProtocolException(HttpStatus.REQUEST_TIMEOUT_408, "REQUEST_TIMEOUT", "the request body did not arrive within "
                        + deadline.toMillis() + " ms (the deadline of /" + method + ")")).whenComplete((body, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                sendError(response, callback, cause instanceof ProtocolException ? cause : unreadableBody(cause), null);
                return;
            }
            Map<String, Object> call;
            try {
                call = ProtocolJson.parseObject(body);
            } catch (RuntimeException e) {
                sendError(response, callback, e, null);
                return;
            }
            Duration left = deadline.minusNanos(System.nanoTime() - started);
            runner.<Map<String, Object>>submit(null, left.compareTo(MIN_OPERATION_TIME) < 0 ? MIN_OPERATION_TIME : left,
                    () -> extension.answer(call), null,
                    (running, unused) -> new OperationTimeoutException(service.context(method, null), method, deadline),
                    (result, error) -> {
                        if (error == null) {
                            send(response, callback, HttpStatus.OK_200, result);
                        } else {
                            sendError(response, callback, error, null);
                        }
                    });
        });
    }

    /** Why a body could not be read, in words (usually nobody is left to read the answer). */
    private static ProtocolException unreadableBody(Throwable cause) {
        if (cause instanceof HttpException h) {
            return new ProtocolException(h.getCode(), "BAD_REQUEST", "cannot read the request body: "
                    + printable(h.getReason() == null ? HttpStatus.getMessage(h.getCode()) : h.getReason()));
        }
        String why = cause instanceof TimeoutException ? "it did not arrive before the connection's idle timeout"
                : "the connection failed while it was sent";
        return new ProtocolException(HttpStatus.BAD_REQUEST_400, "BAD_REQUEST", "cannot read the request body: " + why);
    }

    private ProtocolException tooLarge(String size) {
        return new ProtocolException(HttpStatus.PAYLOAD_TOO_LARGE_413, "REQUEST_TOO_LARGE",
                "the request body (" + size + ") exceeds the limit of " + maxRequestBytes + " bytes");
    }

    private void dispatch(Endpoint e, byte[] body, Duration timeLeft, Response response, Callback callback) {
        String name = null;
        try {
            Map<String, Object> request = ProtocolJson.parseObject(body);
            switch (e) {
                case ACTIVATE -> {
                    send(response, callback, HttpStatus.OK_200, service.activate());
                    return;
                }
                case CAPABILITIES -> {
                    send(response, callback, HttpStatus.OK_200, service.capabilities());
                    return;
                }
                case LIST -> {
                    run(e, timeLeft, null, null, service::list, null, response, callback);
                    return;
                }
                default -> {
                }
            }
            if (e == Endpoint.GET && isBlank(ProtocolJson.text(request, "Name"))) {
                // dockerd asks Get with an empty name while it starts up: a lookup of a name no volume can have,
                // answered as the miss it is (logged at debug, as every Get miss), not as a malformed request
                sendError(response, callback, new VolumeNotFoundException(service.context(e.operation, null),
                        "no volume has an empty name"), e, null);
                return;
            }
            name = ProtocolJson.requiredText(request, "Name", e.path + " needs the volume's name", "{\"Name\":\"data1\"}");
            String volume = name;
            switch (e) {
                case CREATE -> {
                    Map<String, String> opts = ProtocolJson.stringMap(request, "Opts");
                    run(e, timeLeft, volume, volume, () -> service.create(volume, opts), null, response, callback);
                }
                case REMOVE -> run(e, timeLeft, volume, volume, () -> service.remove(volume), null, response, callback);
                case MOUNT -> {
                    String id = consumerId(request);
                    this.<VolumeDriverService.MountOutcome>runWith(e, timeLeft, volume, volume, () -> service.mount(volume, id),
                            outcome -> service.undoAbandonedMount(volume, id, outcome),
                            VolumeDriverService.MountOutcome::body, response, callback);
                }
                case UNMOUNT -> {
                    String id = consumerId(request);
                    run(e, timeLeft, volume, volume, () -> service.unmount(volume, id), null, response, callback);
                }
                case PATH -> run(e, timeLeft, volume, null, () -> service.path(volume), null, response, callback);
                case GET -> run(e, timeLeft, volume, null, () -> service.get(volume), null, response, callback);
                default -> throw new IllegalStateException("unhandled endpoint " + e);
            }
        } catch (RuntimeException failure) {
            sendError(response, callback, failure, e, name);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The {@code ID} of a Mount or Unmount; {@code null} (the anonymous consumer) when absent, null or blank.
     * dockerd sends 64 hex digits; anything longer than {@value #MAX_ID_CHARS} characters or with control
     * characters is refused, so that no consumer record or log line carries it.
     */
    static String consumerId(Map<String, Object> request) {
        String id = ProtocolJson.text(request, "ID");
        if (id != null && (id.length() > MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl))) {
            throw new ProtocolException(HttpStatus.BAD_REQUEST_400, "BAD_JSON", "field 'ID' must be at most " + MAX_ID_CHARS
                    + " characters without control characters (dockerd sends 64 hex digits), not '" + printable(id) + "'");
        }
        return id;
    }

    private void run(Endpoint e, Duration timeLeft, String volume, String serialKey, Supplier<Map<String, Object>> body,
                     Consumer<Map<String, Object>> abandoned, Response response, Callback callback) {
        runWith(e, timeLeft, volume, serialKey, body, abandoned, m -> m, response, callback);
    }

    private <T> void runWith(Endpoint e, Duration timeLeft, String volume, String serialKey, Supplier<T> body,
                             Consumer<T> abandoned, Function<T, Map<String, Object>> toBody,
                             Response response, Callback callback) {
        runner.submit(serialKey, timeLeft, body, abandoned,
                // the call's whole deadline (counted from its headers; the runner got what was left of it)
                (started, left) -> new OperationTimeoutException(service.context(e.operation, volume), e.method()
                        + (started ? (e == Endpoint.MOUNT ? " (still running; when it completes it is undone unless this consumer already held the volume)"
                        : " (still running; it completes in the background)")
                        : serialKey == null ? " (it was still waiting for a free worker and will not run)"
                        : " (it was still waiting behind an earlier call on this volume and will not run)"), deadline(e)),
                (result, failure) -> {
                    if (failure == null) {
                        send(response, callback, HttpStatus.OK_200, toBody.apply(result));
                    } else {
                        sendError(response, callback, failure, e, volume);
                    }
                });
    }

    private void sendError(Response response, Callback callback, Throwable failure, Endpoint e) {
        sendError(response, callback, failure, e, null);
    }

    private void sendError(Response response, Callback callback, Throwable failure, Endpoint e, String volume) {
        int status;
        String code;
        String message;
        if (failure instanceof ProtocolException p) {
            status = p.status();
            code = p.code();
            message = p.getMessage();
            LOG.debug("{}: {} {}", e == null ? "?" : e.path, status, message);
        } else if (failure instanceof StorageException s) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            code = s.code();
            message = s.getMessage();
            if (e == Endpoint.GET && s instanceof VolumeNotFoundException) {
                LOG.debug("{}: {}", e.path, message); // dockerd asks Get before every Create: a miss is normal
            } else {
                LOG.warn("{} failed ({}): {}", e.path, code, message);
            }
        } else {
            String operation = e == null ? "plugin call" : e.operation;
            // a defect of the plugin: the stack trace goes to the log, the caller gets no internals
            StorageException wrapped = failure instanceof RejectedExecutionException
                    ? new OperationFailedException(service.context(operation, volume), "the plugin is stopping", failure)
                    : new OperationFailedException(service.context(operation, volume),
                    "the plugin failed unexpectedly (its log has the details)", failure);
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            code = wrapped.code();
            message = wrapped.getMessage();
            LOG.error("{} failed unexpectedly", e == null ? "?" : e.path, failure);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Err", message == null || message.isBlank() ? "error without a message (" + code + ")" : message);
        body.put("Code", code);
        send(response, callback, status, body);
    }

    static void send(Response response, Callback callback, int status, Map<String, Object> body) {
        byte[] bytes = ProtocolJson.write(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolJson.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
