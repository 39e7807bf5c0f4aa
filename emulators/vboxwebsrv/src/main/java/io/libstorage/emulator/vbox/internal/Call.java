package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.internal.soap.SoapFault;
import io.libstorage.emulator.vbox.internal.soap.SoapRequest;

import java.util.List;

/**
 * One call being carried out: typed access to its parameters with gSOAP's decoding rules (a missing element is the
 * type's default, text that does not parse is a {@code SOAP-ENV:Client} validation fault) and to managed objects.
 */
final class Call {
    private final SoapRequest request;
    private final Websessions websessions;

    Call(SoapRequest request, Websessions websessions) {
        this.request = request;
        this.websessions = websessions;
    }

    String operation() {
        return request.operation();
    }

    /** The {@code _this} reference as sent ("" when missing). */
    String thisRef() {
        String t = request.first("_this");
        return t == null ? "" : t;
    }

    /** The object {@code _this} stands for, which must be one of {@code types}. */
    Object self(Class<?>... types) {
        return websessions.resolve(thisRef(), types);
    }

    @SuppressWarnings("unchecked")
    <T> T self(Class<T> type) {
        return (T) websessions.resolve(thisRef(), type);
    }

    /** An object parameter; an empty reference is null (as vboxwebsrv passes a NULL pointer then). */
    @SuppressWarnings("unchecked")
    <T> T object(String name, Class<T> type) {
        return (T) websessions.resolveOptional(string(name), type);
    }

    String string(String name) {
        String v = request.first(name);
        return v == null ? "" : v;
    }

    List<String> strings(String name) {
        return request.all(name);
    }

    int integer(String name) {
        String v = request.first(name);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw mismatch(name);
        }
    }

    long longValue(String name) {
        String v = request.first(name);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw mismatch(name);
        }
    }

    boolean bool(String name) {
        String v = request.first(name);
        if (v == null) {
            return false;
        }
        return switch (v.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw mismatch(name);
        };
    }

    /** An enumeration value; missing means the enumeration's first value, an unknown name is a validation fault. */
    String enumValue(String name, String... allowed) {
        String v = request.first(name);
        if (v == null) {
            return allowed[0];
        }
        for (String a : allowed) {
            if (a.equals(v.strip())) {
                return a;
            }
        }
        throw mismatch(name);
    }

    /** Every value of a repeated enumeration element. */
    List<String> enumValues(String name, String... allowed) {
        for (String v : request.all(name)) {
            if (!List.of(allowed).contains(v.strip())) {
                throw mismatch(name);
            }
        }
        return request.all(name).stream().map(String::strip).toList();
    }

    /** The reference for an object in this call's websession ("" for null). */
    String ref(Object object) {
        return websessions.refIn(thisRef(), object);
    }

    private static SoapFault mismatch(String element) {
        return SoapFault.client("Validation constraint violation: data type mismatch in element '" + element + "'");
    }
}
