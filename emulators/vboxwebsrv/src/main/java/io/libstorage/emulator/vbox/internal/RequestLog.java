package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.RequestRecord;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The call log: the last {@code capacity} records plus per-operation counters since the last reset. */
public final class RequestLog {
    private static final int MAX_BODY = 4096;
    private static final Pattern PASSWORD = Pattern.compile("(<(?:[A-Za-z0-9_]+:)?password(?:\\s[^>]*)?>)[^<]*(</)");

    private final int capacity;
    private final Deque<RequestRecord> records = new ArrayDeque<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private long seq;
    private long total;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    /** The body with every {@code <password>} element's text replaced. */
    static String redact(String body) {
        return PASSWORD.matcher(body).replaceAll("$1******$2");
    }

    synchronized void add(Instant at, String operation, int status, String fault, String body) {
        String b = body == null ? "" : redact(body);
        if (b.length() > MAX_BODY) {
            b = b.substring(0, MAX_BODY);
        }
        records.addLast(new RequestRecord(++seq, at, operation, status, fault, b));
        if (records.size() > capacity) {
            records.removeFirst();
        }
        counts.merge(operation, 1L, Long::sum);
        total++;
    }

    public synchronized List<RequestRecord> records() {
        return new ArrayList<>(records);
    }

    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized long total() {
        return total;
    }

    public synchronized void reset() {
        records.clear();
        counts.clear();
        total = 0;
    }
}
