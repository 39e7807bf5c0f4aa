package io.libstorage.csi.internal;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.libstorage.csi.proto.CsiProto;

import java.util.Map;

/**
 * Renders a CSI message for a log line without the values of the fields the protocol marks as
 * secret ({@code csi_secret}, the {@code secrets} maps of every request): their keys are kept and every
 * value is written as {@code ******}. Driven by the field option, so a new request type needs no code here.
 */
final class SecretRedaction {
    static final String MASK = "******";

    private SecretRedaction() {
    }

    /** The message as one line of text, secrets masked. */
    static String describe(Message message) {
        return TextFormat.printer().emittingSingleLine(true).printToString(redact(message));
    }

    /** A copy with every secret value replaced by {@link #MASK}. */
    static Message redact(Message message) {
        Message.Builder b = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.getOptions().getExtension(CsiProto.csiSecret)) {
                b.clearField(f);
                if (f.isMapField()) {
                    for (Object entry : (Iterable<?>) e.getValue()) {
                        Message m = (Message) entry;
                        Message.Builder masked = m.toBuilder();
                        FieldDescriptor value = m.getDescriptorForType().findFieldByName("value");
                        masked.setField(value, MASK);
                        b.addRepeatedField(f, masked.build());
                    }
                } else if (f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isRepeated()) {
                    b.setField(f, MASK);
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
                b.setField(f, redact((Message) e.getValue()));
            }
        }
        return b.build();
    }
}
