package io.libstorage.emulator.vbox.internal.soap;

import java.util.List;
import java.util.Map;

/**
 * Writes responses and faults in gSOAP's form: an XML declaration, {@code SOAP-ENV}/{@code vbox} prefixes with the
 * namespace declarations vboxwebsrv puts on every envelope, the response element qualified and its children not;
 * empty values are written as an open and a close tag, as gSOAP serialises empty strings.
 */
public final class SoapResponseWriter {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
            + " xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>";
    private static final String TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

    private SoapResponseWriter() {
    }

    /**
     * {@code <vbox:<operation>Response>} with one {@code <returnval>} per value. A value is a {@link String} or, for
     * types vboxwebsrv returns by value (IMediumAttachment), an ordered {@code Map<String, String>} of its fields.
     */
    public static String response(String operation, List<?> values) {
        StringBuilder sb = new StringBuilder(HEAD).append("<vbox:").append(operation).append("Response>");
        for (Object v : values) {
            sb.append("<returnval>");
            if (v instanceof Map<?, ?> struct) {
                struct.forEach((k, fv) -> element(sb, String.valueOf(k), fv == null ? "" : String.valueOf(fv)));
            } else {
                escape(sb, String.valueOf(v));
            }
            sb.append("</returnval>");
        }
        return sb.append("</vbox:").append(operation).append("Response>").append(TAIL).toString();
    }

    public static String fault(SoapFault f) {
        StringBuilder sb = new StringBuilder(HEAD).append("<SOAP-ENV:Fault>");
        element(sb, "faultcode", f.faultCode());
        element(sb, "faultstring", f.faultString());
        if (f.detail() instanceof SoapFault.InvalidObject io) {
            sb.append("<detail><vbox:InvalidObjectFault>");
            element(sb, "badObjectID", io.badObjectId());
            sb.append("</vbox:InvalidObjectFault></detail>");
        } else if (f.detail() instanceof SoapFault.Runtime rt) {
            sb.append("<detail><vbox:RuntimeFault>");
            element(sb, "resultCode", Integer.toString(rt.resultCode()));
            element(sb, "returnval", rt.errorInfoRef());
            sb.append("</vbox:RuntimeFault></detail>");
        }
        return sb.append("</SOAP-ENV:Fault>").append(TAIL).toString();
    }

    private static void element(StringBuilder sb, String name, String text) {
        sb.append('<').append(name).append('>');
        escape(sb, text);
        sb.append("</").append(name).append('>');
    }

    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
    }
}
