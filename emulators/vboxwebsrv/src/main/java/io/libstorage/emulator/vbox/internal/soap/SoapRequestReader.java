package io.libstorage.emulator.vbox.internal.soap;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a SOAP 1.1 request with StAX (no DTDs, no external entities). Problems become the {@code SOAP-ENV:Client}
 * faults gSOAP answers with; an operation in another namespace is "not implemented", as gSOAP dispatches by
 * namespace and local name.
 */
public final class SoapRequestReader {
    public static final String SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final XMLInputFactory FACTORY = factory();

    private SoapRequestReader() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f;
    }

    /** Parses {@code body}; throws a {@link SoapFault} describing what gSOAP would complain about. */
    public static SoapRequest read(String body) {
        if (body == null || body.isBlank()) {
            throw SoapFault.client("End of file or no input: message transfer interrupted");
        }
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new StringReader(body));
            try {
                nextElement(r);
                if (!"Envelope".equals(r.getLocalName()) || !SOAP_ENV_NS.equals(r.getNamespaceURI())) {
                    throw new SoapFault("SOAP-ENV:VersionMismatch", "SOAP version mismatch or invalid SOAP message", null);
                }
                nextElement(r);
                if ("Header".equals(r.getLocalName()) && SOAP_ENV_NS.equals(r.getNamespaceURI())) {
                    skipElement(r);
                    nextElement(r);
                }
                if (!"Body".equals(r.getLocalName()) || !SOAP_ENV_NS.equals(r.getNamespaceURI())) {
                    throw SoapFault.client("No tag: no XML root element or missing SOAP message body element");
                }
                if (!nextElementOrEnd(r)) {
                    throw SoapFault.client("No tag: no XML root element or missing SOAP message body element");
                }
                String prefix = r.getPrefix();
                String qualified = prefix == null || prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
                String ns = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
                String operation = r.getLocalName();
                Map<String, List<String>> params = children(r);
                return new SoapRequest(operation, qualified, ns, params);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw SoapFault.client("Well-formedness violation");
        }
    }

    /** Text of each direct child of the current element, by local name; nested elements are flattened to their text. */
    private static Map<String, List<String>> children(XMLStreamReader r) throws XMLStreamException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(text(r));
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return out;
            }
        }
        return out;
    }

    private static String text(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int e = r.next();
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA || e == XMLStreamConstants.SPACE) {
                sb.append(r.getText());
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return sb.toString();
    }

    private static void nextElement(XMLStreamReader r) throws XMLStreamException {
        if (!nextElementOrEnd(r)) {
            throw SoapFault.client("No tag: no XML root element or missing SOAP message body element");
        }
    }

    /** Moves to the next start element; false when an end element comes first. */
    private static boolean nextElementOrEnd(XMLStreamReader r) throws XMLStreamException {
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

    private static void skipElement(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }
}
