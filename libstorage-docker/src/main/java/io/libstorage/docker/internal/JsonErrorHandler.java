package io.libstorage.docker.internal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers errors that Jetty itself raises before the plugin sees a request (malformed HTTP, headers
 * too large, ...) in the plugin's JSON shape, {@code {"Err":"...","Code":"HTTP_<status>"}}, instead of
 * an HTML page, so that a client always finds a non-empty {@code Err}.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Map<String, Object> body = new LinkedHashMap<>();
        String text = message == null || message.isBlank() ? "HTTP " + code : message;
        body.put("Err", "the plugin could not handle the request: " + PluginHandler.printable(text));
        body.put("Code", "HTTP_" + code);
        PluginHandler.send(response, HeadDeadlineEndPoint.track(request, callback), code, body);
    }
}
