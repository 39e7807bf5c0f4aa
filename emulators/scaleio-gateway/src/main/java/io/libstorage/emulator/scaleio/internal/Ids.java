package io.libstorage.emulator.scaleio.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Object ids: 16 lower-case hex digits, random high 32 bits and a counter in the low 32 bits (reference 2, 12). */
public final class Ids {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");
    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger counter = new AtomicInteger();

    public String next() {
        return String.format(Locale.ROOT, "%08x%08x", random.nextInt(), counter.getAndIncrement());
    }

    /** The canonical form of an id given in a URL or body; the gateway parses ids as unsigned longs. */
    public static String canonical(String raw) {
        if (raw == null || !HEX.matcher(raw).matches()) {
            throw GatewayException.malformedId(raw);
        }
        return String.format(Locale.ROOT, "%016x", Long.parseUnsignedLong(raw, 16));
    }

    public static boolean isGuid(String s) {
        return s != null && GUID.matcher(s).matches();
    }
}
