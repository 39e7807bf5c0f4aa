package io.libstorage.emulator.scaleio.internal.host.fuse;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A native buffer holding one FUSE message: a request as read from {@code /dev/fuse} (a 40-byte
 * {@code fuse_in_header}, then the body) or a reply as written to it (a 16-byte {@code fuse_out_header}, then
 * the payload). Offsets given to the accessors count from the start of the body or payload. Each worker thread
 * owns one request and one reply buffer, so nothing here is shared between threads.
 */
final class FuseMessage {
    static final int IN_HEADER = 40;
    static final int OUT_HEADER = 16;

    private final ByteBuffer buffer;
    private final Pointer base;
    private final int headerSize;

    private FuseMessage(int capacity, int headerSize) {
        this.buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        this.base = Native.getDirectBufferPointer(buffer);
        this.headerSize = headerSize;
    }

    static FuseMessage request(int capacity) {
        return new FuseMessage(capacity, IN_HEADER);
    }

    static FuseMessage reply(int capacity) {
        return new FuseMessage(capacity, OUT_HEADER);
    }

    int capacity() {
        return buffer.capacity();
    }

    /** The whole message, header included (for read(2) and write(2)). */
    Pointer pointer() {
        return base;
    }

    // ---------------------------------------------------------------- fuse_in_header

    int opcode() {
        return buffer.getInt(4);
    }

    long unique() {
        return buffer.getLong(8);
    }

    long nodeId() {
        return buffer.getLong(16);
    }

    // ---------------------------------------------------------------- body / payload

    int getInt(int offset) {
        return buffer.getInt(headerSize + offset);
    }

    long getLong(int offset) {
        return buffer.getLong(headerSize + offset);
    }

    /** A NUL-terminated name in the body. */
    String getName(int offset, int requestLength) {
        int start = headerSize + offset;
        int end = start;
        while (end < requestLength && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Pointer bodyPointer(int offset) {
        return base.share((long) headerSize + offset);
    }

    /** How many payload bytes fit after the header. */
    int payloadCapacity() {
        return buffer.capacity() - headerSize;
    }

    FuseMessage putInt(int offset, int value) {
        buffer.putInt(headerSize + offset, value);
        return this;
    }

    FuseMessage putShort(int offset, short value) {
        buffer.putShort(headerSize + offset, value);
        return this;
    }

    FuseMessage putLong(int offset, long value) {
        buffer.putLong(headerSize + offset, value);
        return this;
    }

    FuseMessage putBytes(int offset, byte[] bytes) {
        buffer.put(headerSize + offset, bytes);
        return this;
    }

    FuseMessage zero(int offset, int length) {
        for (int i = 0; i < length; i++) {
            buffer.put(headerSize + offset + i, (byte) 0);
        }
        return this;
    }

    /** Fills the {@code fuse_out_header} for a reply of {@code payloadLength} bytes; returns the message length. */
    int finishReply(long unique, int error, int payloadLength) {
        int length = OUT_HEADER + payloadLength;
        buffer.putInt(0, length);
        buffer.putInt(4, error);
        buffer.putLong(8, unique);
        return length;
    }
}
