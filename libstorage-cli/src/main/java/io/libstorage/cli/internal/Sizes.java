package io.libstorage.cli.internal;

import io.libstorage.api.ByteSizes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Sizes on the command line: a bare number is GiB (as in REX-Ray), otherwise a size with a unit. */
public final class Sizes {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[0-9]+(\\.[0-9]+)?\\s*");

    private Sizes() {
    }

    /**
     * Bytes of {@code text}: {@code 16} is 16 GiB, {@code 0.5} is 512 MiB, {@code 512MiB}, {@code 1GB} and
     * {@code 1073741824B} are as written.
     *
     * @throws IllegalArgumentException when it is not a positive size
     */
    public static long parse(String text) {
        long bytes;
        try {
            if (text != null && BARE_NUMBER.matcher(text).matches()) {
                bytes = new BigDecimal(text.strip()).multiply(BigDecimal.valueOf(ByteSizes.GIB))
                        .setScale(0, RoundingMode.CEILING).longValueExact();
            } else {
                bytes = ByteSizes.parse(text);
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a bare number is GiB, or give a unit: 512MiB, 16GiB)");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive size");
        }
        return bytes;
    }
}
