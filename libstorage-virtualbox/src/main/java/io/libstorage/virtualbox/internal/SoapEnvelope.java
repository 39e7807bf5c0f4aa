package io.libstorage.virtualbox.internal;

import java.nio.charset.StandardCharsets;

/**
 * Writes a request in the WSDL's canonical document/literal form: {@code SOAP-ENV} and {@code vbox} prefixes, the
 * operation element qualified, its children unqualified (the schema has no {@code elementFormDefault}), text escaped.
 */
public final class SoapEnvelope {
    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:vbox=\"http://www.virtualbox.org/\">"
            + "<SOAP-ENV:Body>";
    static final String TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";

    private SoapEnvelope() {
    }

    public static String write(SoapCall call) {
        StringBuilder sb = new StringBuilder(256).append(HEAD).append("<vbox:").append(call.operation()).append('>');
        for (SoapCall.Param p : call.params()) {
            sb.append('<').append(p.name()).append('>');
            escape(sb, p.value());
            sb.append("</").append(p.name()).append('>');
        }
        return sb.append("</vbox:").append(call.operation()).append('>').append(TAIL).toString();
    }

    public static byte[] bytes(SoapCall call) {
        return write(call).getBytes(StandardCharsets.UTF_8);
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        throw new IllegalArgumentException("a control character cannot be sent in XML 1.0 (code " + (int) c + ")");
                    }
                    sb.append(c);
                }
            }
        }
    }
}
