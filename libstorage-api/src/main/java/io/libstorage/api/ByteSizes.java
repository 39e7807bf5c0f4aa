package io.libstorage.api;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte sizes. Accepted: a plain number of bytes ({@code 1048576}) or a number with
 * a unit: {@code B}; binary {@code K, KiB, M, MiB, G, GiB, T, TiB} (powers of 1024); decimal
 * {@code KB, MB, GB, TB} (powers of 1000). Units are case-insensitive except that {@code b} alone is bytes.
 */
public final class ByteSizes {
    public static final long KIB = 1024L;
    public static final long MIB = KIB * 1024;
    public static final long GIB = MIB * 1024;
    public static final long TIB = GIB * 1024;

    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");

    private ByteSizes() {
    }

    /**
     * Parses {@code text} into bytes.
     *
     * @throws IllegalArgumentException when it is not a size or overflows a long
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1073741824, 512MiB, 16GiB)");
        }
        long unit = unit(m.group(2), text);
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        try {
            return bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large", e);
        }
    }

    private static long unit(String suffix, String text) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k", "kib" -> KIB;
            case "m", "mib" -> MIB;
            case "g", "gib" -> GIB;
            case "t", "tib" -> TIB;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + suffix
                    + "' (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)");
        };
    }

    /** {@code 8589934592} prints as {@code 8GiB}; sizes that are not whole units print in bytes. */
    public static String format(long bytes) {
        if (bytes != 0) {
            if (bytes % TIB == 0) {
                return bytes / TIB + "TiB";
            }
            if (bytes % GIB == 0) {
                return bytes / GIB + "GiB";
            }
            if (bytes % MIB == 0) {
                return bytes / MIB + "MiB";
            }
            if (bytes % KIB == 0) {
                return bytes / KIB + "KiB";
            }
        }
        return bytes + "B";
    }

    /** {@code bytes} rounded up to a multiple of {@code granularity}. */
    public static long roundUp(long bytes, long granularity) {
        if (granularity <= 0) {
            throw new IllegalArgumentException("granularity must be positive");
        }
        long rem = bytes % granularity;
        return rem == 0 ? bytes : Math.addExact(bytes, granularity - rem);
    }
}
