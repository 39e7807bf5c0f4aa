package io.libstorage.virtualbox.internal;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SOAP fault from the web service: {@link Kind#INVALID_OBJECT} (a reference the web service does not know, e.g.
 * after it restarted), {@link Kind#RUNTIME} (a VirtualBox API error with its result code), or {@link Kind#OTHER}
 * (gSOAP's own faults: unknown operation, refused logon, malformed request).
 */
public final class VboxFault extends VboxException {
    private static final long serialVersionUID = 1L;
    private static final Pattern RC = Pattern.compile("rc=0x([0-9a-fA-F]{1,8})");
    private static final Pattern DECORATION = Pattern.compile("^VirtualBox error: (?:rc=0x[0-9a-fA-F]+ )?(.*?)(?: \\(0x[0-9a-fA-F]+\\))?$",
            Pattern.DOTALL);

    /** What kind of fault. */
    public enum Kind { INVALID_OBJECT, RUNTIME, OTHER }

    private final Kind kind;
    private final String faultCode;
    private final String faultString;
    private final Integer resultCode;
    private final String badObjectId;
    private final String errorInfoRef;

    public VboxFault(String operation, Kind kind, String faultCode, String faultString, Integer detailResultCode, String badObjectId,
                     String errorInfoRef) {
        super(operation, operation + ": " + faultString);
        this.kind = kind;
        this.faultCode = faultCode;
        this.faultString = faultString;
        this.resultCode = resultCodeOf(faultString, detailResultCode);
        this.badObjectId = badObjectId;
        this.errorInfoRef = errorInfoRef;
    }

    /** The fault the client raises itself when the web service hands back an empty reference for a dead websession. */
    static VboxFault deadWebsession(String operation, Ref vbox) {
        return new VboxFault(operation, Kind.INVALID_OBJECT, "SOAP-ENV:Client",
                "the web service answered an empty reference: the websession of " + vbox + " is gone", null, vbox.id(), null);
    }

    /** {@code rc=0x…} from the text (what vboxwebsrv prints since 4.3), else the detail's signed {@code resultCode}. */
    private static Integer resultCodeOf(String faultString, Integer detail) {
        Matcher m = RC.matcher(faultString == null ? "" : faultString);
        if (m.find()) {
            return (int) Long.parseLong(m.group(1), 16);
        }
        return detail;
    }

    public Kind kind() {
        return kind;
    }

    public boolean invalidObject() {
        return kind == Kind.INVALID_OBJECT;
    }

    public String faultCode() {
        return faultCode;
    }

    public String faultString() {
        return faultString;
    }

    /** The reference the web service did not know (InvalidObjectFault), or null. */
    public String badObjectId() {
        return badObjectId;
    }

    /** The {@code IVirtualBoxErrorInfo} reference of a RuntimeFault, or null. */
    public String errorInfoRef() {
        return errorInfoRef;
    }

    @Override
    public OptionalInt resultCode() {
        return resultCode == null ? OptionalInt.empty() : OptionalInt.of(resultCode);
    }

    @Override
    public String text() {
        Matcher m = DECORATION.matcher(faultString == null ? "" : faultString);
        return m.matches() ? m.group(1) : faultString;
    }
}
