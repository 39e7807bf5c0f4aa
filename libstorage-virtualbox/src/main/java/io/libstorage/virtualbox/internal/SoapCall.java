package io.libstorage.virtualbox.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One request: the operation and its parameters in the WSDL's order. Every element the WSDL declares is sent,
 * also zeros and empty strings (unlike the Go client's {@code omitempty}). Immutable.
 *
 * @param operation e.g. {@code IMachine_attachDevice}
 * @param params    name and text of each child element, in order
 */
public record SoapCall(String operation, List<Param> params) {
    /** A child element. {@code secret} parameters are never shown (a logon's password). */
    public record Param(String name, String value, boolean secret) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return name + "=" + (secret ? "******" : value);
        }
    }

    public SoapCall {
        Objects.requireNonNull(operation, "operation");
        params = List.copyOf(params);
    }

    public static SoapCall of(String operation) {
        return new SoapCall(operation, List.of());
    }

    /** An operation on an object: {@code _this} first, as every such WSDL element has it. */
    public static SoapCall on(String operation, Ref self) {
        return of(operation).ref("_this", self);
    }

    public SoapCall text(String name, String value) {
        return with(new Param(name, value, false));
    }

    public SoapCall secret(String name, String value) {
        return with(new Param(name, value, true));
    }

    public SoapCall ref(String name, Ref ref) {
        return with(new Param(name, Objects.requireNonNull(ref, name).id(), false));
    }

    public SoapCall number(String name, long value) {
        return with(new Param(name, Long.toString(value), false));
    }

    public SoapCall bool(String name, boolean value) {
        return with(new Param(name, Boolean.toString(value), false));
    }

    private SoapCall with(Param p) {
        List<Param> all = new ArrayList<>(params);
        all.add(p);
        return new SoapCall(operation, all);
    }

    @Override
    public String toString() {
        return operation + params;
    }
}
