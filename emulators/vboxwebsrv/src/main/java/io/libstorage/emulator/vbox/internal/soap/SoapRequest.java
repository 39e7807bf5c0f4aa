package io.libstorage.emulator.vbox.internal.soap;

import java.util.List;
import java.util.Map;

/**
 * One parsed SOAP call: the operation element and its children's text by local name (gSOAP matches children by
 * local name, so Go-style requests with namespaced children and canonical ones with unqualified children both work).
 *
 * @param operation     local name of the body's first element, e.g. {@code IVirtualBox_findMachine}
 * @param qualifiedName the element name as the client wrote it ({@code vbox:IVirtualBox_findMachine}), for faults
 * @param namespace     the operation element's namespace URI
 * @param parameters    child text by local name, in document order; repeated elements keep every value
 */
public record SoapRequest(String operation, String qualifiedName, String namespace, Map<String, List<String>> parameters) {
    public static final String VBOX_NS = "http://www.virtualbox.org/";

    public SoapRequest {
        parameters = Map.copyOf(parameters);
    }

    /** The first value of a child element, or null when it is missing (gSOAP then uses the type's default). */
    public String first(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a repeated child element (empty when missing). */
    public List<String> all(String name) {
        return parameters.getOrDefault(name, List.of());
    }
}
