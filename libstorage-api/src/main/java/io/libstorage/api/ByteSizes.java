package io.libstorage.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of sizes, shared by the configuration, the command line and the Docker create
 * options; it is REX-Ray's: a <b>bare number is GiB</b> ({@code 16}, {@code 0.5}), otherwise a number and
 * a unit: {@code B}; binary {@code KiB, MiB, GiB, TiB} (also {@code K, M, G, T}; powers of 1024);
 * decimal {@code KB, MB, GB, TB} (powers of 1000). Units are case-insensitive; a fraction of a byte is
 * rounded up. Every size is positive and less than {@link #LIMIT} (1 PiB): {@code PiB}, {@code EiB}
 * ({@code P}, {@code E}, {@code PB}, {@code EB}) are understood only to report such sizes as too large.
 * Stateless and thread-safe.
 */
public final class ByteSizes {
    public static final long KIB = 1024L;
    public static final long MIB = KIB * 1024;
    public static final long GIB = MIB * 1024;
    public static final long TIB = GIB * 1024;
    public static final long PIB = TIB * 1024;
    /** Every size is less than this (1 PiB): more than any back end offers, and far from overflowing a long when rounded up. */
    public static final long LIMIT = PIB;

    private static final String EXAMPLES = "a bare number is GiB: 16 is 16GiB, 0.5 is 512MiB; or give a unit: 512MiB, 2TiB";
    private static final String UNITS = "B, KiB, MiB, GiB, TiB (or K, M, G, T), KB, MB, GB, TB";
    private static final Pattern SIZE = Pattern.compile("\\s*([-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))\\s*([A-Za-z]*)\\s*");
    private static final int LONGEST_TEXT = 64;

    private ByteSizes() {
    }

    /**
     * Bytes of {@code text}: {@code 16} is 16 GiB, {@code 512MiB}, {@code 1GB} and {@code 1073741824B} are as written.
     *
     * @throws IllegalArgumentException when it is not a size, not positive, too large or has an unknown unit;
     *                                  the message quotes {@code text} and gives correct examples
     */
    public static long parse(String text) {
        return parse(text, false);
    }

    /**
     * As {@link #parse} but a unit is required: for keys where a bare number once meant bytes, so that an old
     * value is refused with a hint instead of being read as GiB.
     */
    public static long parseWithUnit(String text) {
        return parse(text, true);
    }

    private static long parse(String text, boolean unitRequired) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (text == null || text.length() > LONGEST_TEXT || !m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a size (" + EXAMPLES + ")");
        }
        String number = m.group(1);
        String unit = m.group(2);
        if (unit.isEmpty() && unitRequired) {
            throw new IllegalArgumentException(quote(text) + " needs a unit here: write " + number + "B for bytes, or e.g. 1MiB"
                    + " (a bare number would be GiB)");
        }
        BigDecimal value = new BigDecimal(number.endsWith(".") ? number + "0" : number);
        BigDecimal multiplier = multiplier(unit, text);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(quote(text) + " is not a positive size (" + EXAMPLES + ")");
        }
        BigDecimal bytes = value.multiply(multiplier).setScale(0, RoundingMode.CEILING);
        if (bytes.compareTo(BigDecimal.valueOf(LIMIT)) >= 0) {
            throw new IllegalArgumentException(quote(text) + " is too large: sizes must be less than 1PiB");
        }
        return bytes.longValueExact();
    }

    private static BigDecimal multiplier(String unit, String text) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "" -> BigDecimal.valueOf(GIB);
            case "b" -> BigDecimal.ONE;
            case "k", "kib" -> BigDecimal.valueOf(KIB);
            case "m", "mib" -> BigDecimal.valueOf(MIB);
            case "g", "gib" -> BigDecimal.valueOf(GIB);
            case "t", "tib" -> BigDecimal.valueOf(TIB);
            case "p", "pib" -> BigDecimal.valueOf(PIB);
            case "e", "eib" -> BigDecimal.valueOf(PIB * 1024);
            case "kb" -> BigDecimal.TEN.pow(3);
            case "mb" -> BigDecimal.TEN.pow(6);
            case "gb" -> BigDecimal.TEN.pow(9);
            case "tb" -> BigDecimal.TEN.pow(12);
            case "pb" -> BigDecimal.TEN.pow(15);
            case "eb" -> BigDecimal.TEN.pow(18);
            default -> throw new IllegalArgumentException(quote(text) + " has an unknown unit '" + unit + "' (units: " + UNITS
                    + "; " + EXAMPLES + ")");
        };
    }

    private static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        return "'" + (text.length() > LONGEST_TEXT ? text.substring(0, LONGEST_TEXT) + "..." : text) + "'";
    }

    /**
     * {@code bytes} when it is a size a volume may have (positive, less than {@link #LIMIT}): what every
     * driver checks before any back-end call, so that no size reaches arithmetic that could overflow.
     *
     * @throws InvalidRequestException naming the size, in {@code context}
     */
    public static long requireVolumeSize(long bytes, ErrorContext context) {
        if (bytes <= 0) {
            throw new InvalidRequestException(context, "size must be a positive number of bytes, not " + bytes);
        }
        if (bytes >= LIMIT) {
            throw new InvalidRequestException(context, "a size of " + bytes + " bytes is too large: sizes must be less than 1PiB");
        }
        return bytes;
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
