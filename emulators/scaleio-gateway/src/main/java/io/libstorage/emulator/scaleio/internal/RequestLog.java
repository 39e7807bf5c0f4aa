package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.RequestRecord;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The gateway call log: the last {@code capacity} records plus per-endpoint counters since the last reset. */
public final class RequestLog {
    private static final Pattern INSTANCE_ID = Pattern.compile("::[^/]+");
    private static final int MAX_BODY = 4096;

    private final int capacity;
    private final Deque<RequestRecord> records = new ArrayDeque<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private long seq;
    private long total;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    /** The endpoint key of a call: ids and lookup names replaced by {@code {id}}. */
    public static String endpoint(String method, String path) {
        return method + " " + INSTANCE_ID.matcher(path).replaceAll("::{id}");
    }

    public synchronized void add(Instant at, String method, String path, int status, int errorCode, String body, String apiVersion) {
        String b = body == null ? "" : body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body;
        String key = endpoint(method, path);
        records.addLast(new RequestRecord(++seq, at, method, path, key, status, errorCode, b, apiVersion == null ? "" : apiVersion));
        if (records.size() > capacity) {
            records.removeFirst();
        }
        counts.merge(key, 1L, Long::sum);
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
