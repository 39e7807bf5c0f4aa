package io.libstorage.cli.internal.command;

import io.libstorage.api.AccessMode;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.spi.support.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/** Option value converters; a bad value is a usage error naming the option and the value. */
public final class Converters {
    private Converters() {
    }

    /** A size as {@link ByteSizes#parse} reads it: {@code 16} (GiB, as REX-Ray), {@code 512MiB}, {@code 16GiB}, {@code 1GB}. */
    public static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code NEVER}, {@code IF_OWNER_UNREACHABLE} ({@code if-owner-unreachable}), {@code ALWAYS}; any case. */
    public static final class Preemption implements ITypeConverter<PreemptionPolicy> {
        @Override
        public PreemptionPolicy convert(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (PreemptionPolicy p : PreemptionPolicy.values()) {
                if (p.name().equals(v)) {
                    return p;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a pre-emption policy (one of "
                    + Arrays.toString(PreemptionPolicy.values()) + ")");
        }
    }

    /** An access mode by name, or {@code rwo}, {@code rox}, {@code rwx}. */
    public static final class Access implements ITypeConverter<AccessMode> {
        @Override
        public AccessMode convert(String value) {
            return AccessMode.parse(value).orElseThrow(() -> new TypeConversionException("'" + value
                    + "' is not an access mode (one of " + Arrays.toString(AccessMode.values()) + ", or rwo, rox, rwx)"));
        }
    }

    /** {@code 90s}, {@code 2m}, {@code 500ms}. */
    public static final class Timeout implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = Durations.parse(value);
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("must be positive");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 2m, 500ms): " + e.getMessage());
            }
        }
    }
}
