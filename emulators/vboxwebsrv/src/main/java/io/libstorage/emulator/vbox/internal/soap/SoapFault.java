package io.libstorage.emulator.vbox.internal.soap;

/**
 * A SOAP 1.1 fault as vboxwebsrv (gSOAP) sends it. {@link Detail} says which {@code <detail>} element follows the
 * fault string, if any.
 */
public final class SoapFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The {@code <detail>} content. */
    public sealed interface Detail {
    }

    /** {@code <vbox:InvalidObjectFault><badObjectID>…</badObjectID></vbox:InvalidObjectFault>}. */
    public record InvalidObject(String badObjectId) implements Detail {
    }

    /** {@code <vbox:RuntimeFault><resultCode>…</resultCode><returnval>errorInfoRef</returnval></vbox:RuntimeFault>}. */
    public record Runtime(int resultCode, String errorInfoRef) implements Detail {
    }

    private final String faultCode;
    private final transient Detail detail;

    public SoapFault(String faultCode, String faultString, Detail detail) {
        super(faultString);
        this.faultCode = faultCode;
        this.detail = detail;
    }

    /** {@code SOAP-ENV:Client} with no detail: what gSOAP sends for requests it cannot dispatch or decode. */
    public static SoapFault client(String faultString) {
        return new SoapFault("SOAP-ENV:Client", faultString, null);
    }

    /** The fault for a managed object reference that is unknown, released, of a dead websession or of the wrong interface. */
    public static SoapFault invalidObject(String ref) {
        String shown = ref == null ? "" : ref;
        return new SoapFault("SOAP-ENV:Client", "VirtualBox error: Invalid managed object reference \"" + shown + "\"",
                new InvalidObject(shown));
    }

    public String faultCode() {
        return faultCode;
    }

    public String faultString() {
        return getMessage();
    }

    public Detail detail() {
        return detail;
    }
}
