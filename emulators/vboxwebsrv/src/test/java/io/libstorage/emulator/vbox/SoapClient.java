package io.libstorage.emulator.vbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately dumb SOAP client for protocol tests: it writes envelopes as text and reads answers with regular
 * expressions, so the tests state the wire format literally instead of trusting a parser under test.
 */
final class SoapClient {
    static final String CANONICAL_HEAD = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>";
    static final String CANONICAL_TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
    private static final Pattern RETURNVAL = Pattern.compile("<returnval>(.*?)</returnval>", Pattern.DOTALL);
    private static final Pattern FAULTSTRING = Pattern.compile("<faultstring>(.*?)</faultstring>", Pattern.DOTALL);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    String vbox;

    SoapClient(VboxWebServiceEmulator emulator) {
        this.endpoint = emulator.endpoint();
    }

    /** An answer: status and body. */
    record Answer(int status, String body) {
        List<String> values() {
            List<String> out = new ArrayList<>();
            Matcher m = RETURNVAL.matcher(body);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }

        String value() {
            List<String> v = values();
            if (status != 200 || v.size() != 1) {
                throw new AssertionError("expected one returnval, got " + status + ": " + body);
            }
            return v.get(0);
        }

        String fault() {
            Matcher m = FAULTSTRING.matcher(body);
            if (status != 500 || !m.find()) {
                throw new AssertionError("expected a fault, got " + status + ": " + body);
            }
            return m.group(1);
        }

        /** The {@code resultCode} of a RuntimeFault's detail. */
        int faultResultCode() {
            Matcher m = Pattern.compile("<resultCode>(-?\\d+)</resultCode>").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no RuntimeFault detail: " + body);
            }
            return Integer.parseInt(m.group(1));
        }
    }

    Answer post(String envelope) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "text/xml; charset=\"utf-8\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** A canonical request: {@code vbox:}-qualified operation, unqualified children {@code name, value, name, value, ...}. */
    Answer call(String operation, String... nameValues) throws IOException, InterruptedException {
        return post(envelope(operation, nameValues));
    }

    static String envelope(String operation, String... nameValues) {
        StringBuilder sb = new StringBuilder(CANONICAL_HEAD).append("<vbox:").append(operation).append('>');
        for (int i = 0; i < nameValues.length; i += 2) {
            sb.append('<').append(nameValues[i]).append('>').append(nameValues[i + 1].replace("&", "&amp;").replace("<", "&lt;"))
                    .append("</").append(nameValues[i]).append('>');
        }
        return sb.append("</vbox:").append(operation).append('>').append(CANONICAL_TAIL).toString();
    }

    /** A call that must succeed; returns its answer. */
    Answer ok(String operation, String... nameValues) throws IOException, InterruptedException {
        Answer a = call(operation, nameValues);
        if (a.status() != 200) {
            throw new AssertionError(operation + " failed with " + a.status() + ": " + a.body());
        }
        return a;
    }

    SoapClient logon() throws IOException, InterruptedException {
        vbox = ok("IWebsessionManager_logon", "username", "", "password", "").value();
        return this;
    }

    String get(String operation, String self) throws IOException, InterruptedException {
        return ok(operation, "_this", self).value();
    }

    List<String> list(String operation, String self) throws IOException, InterruptedException {
        return ok(operation, "_this", self).values();
    }

    String findMachine(String nameOrId) throws IOException, InterruptedException {
        return ok("IVirtualBox_findMachine", "_this", vbox, "nameOrId", nameOrId).value();
    }

    /** getSessionObject, lockMachine, ISession_getMachine: returns {session, mutable machine}. */
    String[] lock(String machineRef, String lockType) throws IOException, InterruptedException {
        String session = ok("IWebsessionManager_getSessionObject", "refIVirtualBox", vbox).value();
        ok("IMachine_lockMachine", "_this", machineRef, "session", session, "lockType", lockType);
        return new String[] {session, get("ISession_getMachine", session)};
    }

    /** createMedium + createBaseStorage + wait; returns the medium reference. */
    String createDisk(String location, long bytes) throws IOException, InterruptedException {
        String medium = ok("IVirtualBox_createMedium", "_this", vbox, "format", "vmdk", "location", location,
                "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").value();
        String progress = ok("IMedium_createBaseStorage", "_this", medium, "logicalSize", Long.toString(bytes), "variant", "Standard").value();
        waitFor(progress);
        return medium;
    }

    void waitFor(String progress) throws IOException, InterruptedException {
        ok("IProgress_waitForCompletion", "_this", progress, "timeout", "-1");
        String rc = get("IProgress_getResultCode", progress);
        if (!rc.equals("0")) {
            String info = get("IProgress_getErrorInfo", progress);
            throw new AssertionError("progress failed with " + rc + ": " + get("IVirtualBoxErrorInfo_getText", info));
        }
    }
}
