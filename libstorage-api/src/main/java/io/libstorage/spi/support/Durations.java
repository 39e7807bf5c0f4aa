package io.libstorage.spi.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as REX-Ray configuration writes them (Go syntax: {@code 30s}, {@code 1m30s},
 * {@code 500ms}, {@code 2h}, {@code 1.5s}) or ISO-8601 ({@code PT30S}). A bare number is seconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration", e);
            }
        }
        if (NUMBER.matcher(s).matches()) {
            return nanos(Double.parseDouble(s) * 1e9);
        }
        Matcher m = PART.matcher(s);
        int end = 0;
        double totalNanos = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double n = Double.parseDouble(m.group(1));
            totalNanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30s, 1m30s, 500ms, PT30S)");
        }
        return nanos(totalNanos);
    }

    private static Duration nanos(double n) {
        return Duration.ofNanos(Math.round(n));
    }

    /** Go style: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (ms < 1000 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long secs = d.getSeconds();
        StringBuilder b = new StringBuilder();
        if (secs >= 3600) {
            b.append(secs / 3600).append('h');
            secs %= 3600;
        }
        if (secs >= 60) {
            b.append(secs / 60).append('m');
            secs %= 60;
        }
        if (secs > 0) {
            b.append(secs).append('s');
        }
        return b.toString();
    }
}
