package io.libstorage.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.docker.internal.ProtocolJson;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * A client of a Docker volume plugin's unix socket that makes the calls dvdcli makes (and dockerd,
 * for the ones it shares): the same headers ({@code Accept: application/vnd.docker.plugins.v1.2+json},
 * no {@code Content-Type}), an empty {@code /Plugin.Activate} body, and Mount/Unmount without an
 * {@code ID} when none is given. Works with any v1 volume plugin, not only {@link DockerVolumePlugin}.
 *
 * <p>Errors are unchecked {@link StorageException}s: the plugin's {@code Err} text becomes the
 * detail of a {@link VolumeNotFoundException}, {@link InvalidRequestException} (also for
 * {@code INVALID_VOLUME_NAME}) or {@link BackendUnavailableException} when the plugin's
 * {@code Code} says so, and of an {@link OperationFailedException} otherwise; an unreachable socket is a
 * retryable {@link BackendUnavailableException}, a call exceeding the timeout an
 * {@link OperationTimeoutException}.
 *
 * <p>The calls have the plugin's idempotency (see {@link DockerVolumePlugin}); this client adds no
 * retries and no state. Thread-safe; connections are kept alive and reused.
 */
public final class DockerPluginClient implements AutoCloseable {
    private static final String BASE = "http://plugin.moby.localhost";

    private final Path socket;
    private final Duration timeout;
    private final HttpClient http;
    private final Transport transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A volume as the plugin reports it.
     *
     * @param name the volume name
     * @param mountpoint the host path while the volume is mounted on the plugin's host; empty otherwise
     * @param status the plugin's free-form status (for {@link DockerVolumePlugin}: backend, volumeId, sizes,
     *               attachedTo, localHost, consumers, ...); empty when the plugin sends none
     */
    public record PluginVolume(String name, Optional<String> mountpoint, Map<String, Object> status) {
        public PluginVolume {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(mountpoint, "mountpoint");
            status = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(status));
        }
    }

    private DockerPluginClient(Path socket, Duration timeout, HttpClient http) {
        this.socket = socket;
        this.timeout = timeout;
        this.http = http;
        this.transport = new Transport.TCPUnix(socket);
    }

    /**
     * A client of the plugin listening on {@code socket}; every call is bounded by {@code timeout}.
     *
     * @throws BackendUnavailableException when no socket exists at that path
     */
    public static DockerPluginClient connect(Path socket, Duration timeout) {
        ErrorContext ctx = ErrorContext.of("connect", null, null, backendOf(socket));
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidRequestException(ctx, "the timeout must be positive, was " + timeout);
        }
        if (!Files.exists(socket)) {
            throw new BackendUnavailableException(ctx, "no plugin socket at " + socket, true, null);
        }
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(timeout);
        connector.setIdleTimeout(Duration.ofMinutes(5));
        HttpClient http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        http.setUserAgentField(null);
        http.setFollowRedirects(false);
        http.setDefaultRequestContentType(null); // like dockerd and dvdcli: no Content-Type
        http.setName("docker-plugin-client");
        try {
            http.start();
        } catch (Exception e) {
            throw new OperationFailedException(ctx, "cannot start the HTTP client: " + e, e);
        }
        return new DockerPluginClient(socket.toAbsolutePath(), timeout, http);
    }

    /** The socket this client calls. */
    public Path socket() {
        return socket;
    }

    /**
     * {@code POST /Plugin.Activate} with an empty body.
     *
     * @throws OperationFailedException when the plugin does not implement {@code VolumeDriver}
     */
    public void activate() {
        Object r = call("/Plugin.Activate", "activate", null, null);
        if (field(r, "Implements") instanceof List<?> impl) {
            for (Object n : impl) {
                if ("VolumeDriver".equals(ProtocolJson.asText(n))) {
                    return;
                }
            }
        }
        throw new OperationFailedException(ErrorContext.of("activate", null, null, backendOf(socket)),
                "the plugin does not implement VolumeDriver (it answered " + ProtocolJson.toJson(r) + ")", null);
    }

    /** The plugin's scope ({@code global} or {@code local}); {@code local} when it has no Capabilities endpoint, as dockerd assumes. */
    public String scope() {
        Object r;
        try {
            r = call("/VolumeDriver.Capabilities", "capabilities", null, Map.of());
        } catch (StorageException e) {
            return "local";
        }
        Object scope = field(field(r, "Capabilities"), "Scope");
        String s = scope == null ? "" : ProtocolJson.asText(scope).toLowerCase(java.util.Locale.ROOT);
        return s.equals("global") ? "global" : "local";
    }

    /** {@code /VolumeDriver.Create} with the {@code -o} options {@code opts}. */
    public void create(String name, Map<String, String> opts) {
        create(name, (Object) java.util.Objects.requireNonNull(opts, "opts (create(name) sends none)"));
    }

    /** {@code /VolumeDriver.Create} without options, sent as {@code "Opts":null} like an implicit create of dockerd. */
    public void create(String name) {
        create(name, (Object) null);
    }

    private void create(String name, @Nullable Object opts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Opts", opts);
        call("/VolumeDriver.Create", "create", name, body);
    }

    /** {@code /VolumeDriver.Get}; empty when the plugin reports no such volume (a {@code VOLUME_NOT_FOUND} error or {@code "Volume":null}). */
    public Optional<PluginVolume> get(String name) {
        Object r;
        try {
            r = call("/VolumeDriver.Get", "get", name, Map.of("Name", name));
        } catch (VolumeNotFoundException e) {
            return Optional.empty();
        }
        Object v = field(r, "Volume");
        return v == null ? Optional.empty() : Optional.of(volume(v));
    }

    /** {@code /VolumeDriver.List}. */
    public List<PluginVolume> list() {
        Object r = call("/VolumeDriver.List", "list", null, Map.of());
        List<PluginVolume> out = new ArrayList<>();
        if (field(r, "Volumes") instanceof List<?> vs) {
            vs.forEach(v -> out.add(volume(v)));
        }
        return out;
    }

    /**
     * {@code /VolumeDriver.Mount} for the mount session {@code id}.
     *
     * @return the mount point
     */
    public String mount(String name, String id) {
        return mount(name, nameAndId(name, java.util.Objects.requireNonNull(id, "id (mount(name) sends none)")));
    }

    /**
     * {@code /VolumeDriver.Mount} without an {@code ID} key, as dvdcli sends it: the anonymous consumer.
     *
     * @return the mount point
     */
    public String mount(String name) {
        return mount(name, nameAndId(name, null));
    }

    private String mount(String name, Map<String, Object> body) {
        Object r = call("/VolumeDriver.Mount", "mount", name, body);
        Object mp = field(r, "Mountpoint");
        if (mp == null || ProtocolJson.asText(mp).isEmpty()) {
            throw new OperationFailedException(ErrorContext.of("mount", name, null, backendOf(socket)),
                    "the plugin answered the mount without a Mountpoint", null);
        }
        return ProtocolJson.asText(mp);
    }

    /** {@code /VolumeDriver.Unmount} for the mount session {@code id}. */
    public void unmount(String name, String id) {
        call("/VolumeDriver.Unmount", "unmount", name, nameAndId(name, java.util.Objects.requireNonNull(id, "id (unmount(name) sends none)")));
    }

    /** {@code /VolumeDriver.Unmount} without an {@code ID} key, as dvdcli sends it: the anonymous consumer. */
    public void unmount(String name) {
        call("/VolumeDriver.Unmount", "unmount", name, nameAndId(name, null));
    }

    /**
     * The mount point as dvdcli's {@code path} finds it: Get's {@code Mountpoint}, and only when that is
     * empty, {@code /VolumeDriver.Path}. Empty when the volume is not mounted (or does not exist).
     */
    public Optional<String> path(String name) {
        Optional<PluginVolume> v = get(name);
        if (v.isPresent() && v.get().mountpoint().isPresent()) {
            return v.get().mountpoint();
        }
        Object r = call("/VolumeDriver.Path", "path", name, Map.of("Name", name));
        String mp = text(field(r, "Mountpoint"));
        return mp.isEmpty() ? Optional.empty() : Optional.of(mp);
    }

    /** {@code /VolumeDriver.Remove}. */
    public void remove(String name) {
        call("/VolumeDriver.Remove", "remove", name, Map.of("Name", name));
    }

    /** Closes the connections. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                http.stop();
            } catch (Exception e) {
                // nothing useful to do: the client is gone either way
            }
        }
    }

    // ------------------------------------------------------------------ internals

    private static Map<String, Object> nameAndId(String name, @Nullable String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        if (id != null) {
            body.put("ID", id);
        }
        return body;
    }

    private PluginVolume volume(Object v) {
        String mp = text(field(v, "Mountpoint"));
        Map<String, Object> st = new LinkedHashMap<>();
        if (field(v, "Status") instanceof Map<?, ?> status) {
            status.forEach((k, x) -> st.put((String) k, x));
        }
        return new PluginVolume(text(field(v, "Name")), mp.isEmpty() ? Optional.empty() : Optional.of(mp), st);
    }

    /** The value's text ({@link ProtocolJson#asText}); empty for {@code null}. */
    private static String text(@Nullable Object value) {
        return value == null ? "" : ProtocolJson.asText(value);
    }

    /** The field {@code name} of a parsed object: the exact name, else the first in another case; {@code null} when absent or null. */
    private static @Nullable Object field(@Nullable Object object, String name) {
        if (!(object instanceof Map<?, ?> map)) {
            return null;
        }
        if (map.containsKey(name)) {
            return map.get(name);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (((String) e.getKey()).equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private @Nullable Object call(String path, String operation, String volume, Object body) {
        ErrorContext ctx = ErrorContext.of(operation, volume, null, backendOf(socket));
        if (closed.get()) {
            throw new OperationFailedException(ctx, "the client is closed", null);
        }
        Request request = http.newRequest(BASE + path)
                .method(HttpMethod.POST)
                .transport(transport)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, ProtocolJson.MEDIA_TYPE));
        if (body != null) {
            request.body(new BytesRequestContent((String) null, ProtocolJson.write(body)));
        }
        ContentResponse response;
        try {
            response = request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(ctx, "interrupted while calling " + path.substring(1), e);
        } catch (TimeoutException e) {
            throw new OperationTimeoutException(ctx, "the call " + path.substring(1) + " to the plugin at " + socket, timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) {
                throw new OperationTimeoutException(ctx, "the call " + path.substring(1) + " to the plugin at " + socket, timeout);
            }
            throw new BackendUnavailableException(ctx, "cannot reach the plugin at " + socket + ": " + cause, true, cause);
        }
        byte[] content = response.getContent();
        Object json;
        try {
            json = ProtocolJson.readResponse(content);
        } catch (JsonProcessingException e) {
            json = null;
        }
        String errText = text(field(json, "Err"));
        if (response.getStatus() == 200 && errText.isEmpty()) {
            return json;
        }
        if (errText.isEmpty()) {
            String raw = new String(content, StandardCharsets.UTF_8).strip();
            errText = "HTTP " + response.getStatus() + (raw.isEmpty() ? " with an empty body" : ": " + raw);
        }
        Object code = field(json, "Code");
        throw PluginErrors.fromAnswer(ctx, code == null ? null : ProtocolJson.asText(code), errText);
    }

    private static String backendOf(Path socket) {
        return "docker-plugin:" + socket;
    }
}
