package io.libstorage.virtualbox.internal;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads answers with StAX (no DTDs, no external entities), matching elements by local name as vboxwebsrv's and Go's
 * namespace habits differ: {@code <xResponse>} with its {@code <returnval>} values, or a {@code <Fault>} with an
 * {@code InvalidObjectFault} or {@code RuntimeFault} detail, which becomes a {@link VboxFault}.
 */
public final class SoapResponseParser {
    private static final XMLInputFactory FACTORY = factory();

    private SoapResponseParser() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f;
    }

    /**
     * @return the response of {@code operation}
     * @throws VboxFault                          when the body is a SOAP fault
     * @throws SoapResponse.SoapFormatException when it is neither
     */
    public static SoapResponse parse(String operation, byte[] body) {
        if (body == null || body.length == 0) {
            throw new SoapResponse.SoapFormatException(operation + " got an empty answer");
        }
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            try {
                if (!toChild(r) || !r.getLocalName().equals("Envelope")) {
                    throw new SoapResponse.SoapFormatException(operation + " got an answer that is not a SOAP envelope");
                }
                while (toChild(r) && !r.getLocalName().equals("Body")) {
                    skip(r);
                }
                if (!"Body".equals(r.getLocalName()) || !toChild(r)) {
                    throw new SoapResponse.SoapFormatException(operation + " got a SOAP envelope without a body element");
                }
                if (r.getLocalName().equals("Fault")) {
                    throw fault(operation, r);
                }
                if (!r.getLocalName().equals(operation + "Response")) {
                    throw new SoapResponse.SoapFormatException(operation + " got " + r.getLocalName() + " instead of "
                            + operation + "Response");
                }
                return new SoapResponse(operation, values(r));
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new SoapResponse.SoapFormatException(operation + " got an answer that is not well-formed XML: " + e.getMessage());
        }
    }

    private static List<Object> values(XMLStreamReader r) throws XMLStreamException {
        List<Object> out = new ArrayList<>();
        while (toChild(r)) {
            if (!r.getLocalName().equals("returnval")) {
                skip(r);
                continue;
            }
            out.add(value(r));
        }
        return out;
    }

    /** Text, or the fields of a by-value structure. Positioned on the start tag; returns after its end tag. */
    private static Object value(XMLStreamReader r) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        Map<String, String> fields = null;
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA || e == XMLStreamConstants.SPACE) {
                text.append(r.getText());
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                if (fields == null) {
                    fields = new LinkedHashMap<>();
                }
                String name = r.getLocalName();
                fields.put(name, r.getElementText());
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        return fields != null ? fields : text.toString();
    }

    private static VboxFault fault(String operation, XMLStreamReader r) throws XMLStreamException {
        String code = "";
        String string = "";
        VboxFault.Kind kind = VboxFault.Kind.OTHER;
        Integer resultCode = null;
        String badObject = null;
        String errorInfo = null;
        while (toChild(r)) {
            switch (r.getLocalName()) {
                case "faultcode" -> code = r.getElementText().strip();
                case "faultstring" -> string = r.getElementText();
                case "detail" -> {
                    while (toChild(r)) {
                        String detail = r.getLocalName();
                        if (detail.equals("InvalidObjectFault")) {
                            kind = VboxFault.Kind.INVALID_OBJECT;
                        } else if (detail.equals("RuntimeFault")) {
                            kind = VboxFault.Kind.RUNTIME;
                        }
                        while (toChild(r)) {
                            switch (r.getLocalName()) {
                                case "badObjectID" -> badObject = r.getElementText().strip();
                                case "resultCode" -> resultCode = parseInt(r.getElementText());
                                case "returnval" -> errorInfo = r.getElementText().strip();
                                default -> skip(r);
                            }
                        }
                    }
                }
                default -> skip(r);
            }
        }
        if (kind == VboxFault.Kind.OTHER && string.startsWith("VirtualBox error: Invalid managed object reference")) {
            kind = VboxFault.Kind.INVALID_OBJECT;
        } else if (kind == VboxFault.Kind.OTHER && string.startsWith("VirtualBox error: rc=")) {
            kind = VboxFault.Kind.RUNTIME;
        }
        return new VboxFault(operation, kind, code, string, resultCode, badObject, errorInfo == null || errorInfo.isEmpty() ? null : errorInfo);
    }

    private static Integer parseInt(String s) {
        try {
            return (int) Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Moves to the next child start element of the current element; false at the current element's end. */
    private static boolean toChild(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (e == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
        }
        return false;
    }

    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }
}
