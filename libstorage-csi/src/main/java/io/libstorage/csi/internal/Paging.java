package io.libstorage.csi.internal;

import java.util.List;

/**
 * ListVolumes and ListSnapshots paging: the token is the position of the next entry in the list
 * sorted by id. A token this plugin did not hand out (not a number, negative, past the end) is
 * ABORTED, as the specification asks.
 */
final class Paging {
    private Paging() {
    }

    record Page<T>(List<T> entries, String nextToken) {
    }

    static <T> Page<T> page(List<T> sorted, int maxEntries, String startingToken) {
        if (maxEntries < 0) {
            throw CsiError.invalid("max_entries must not be negative, not " + maxEntries);
        }
        int from = 0;
        if (!startingToken.isEmpty()) {
            try {
                from = Integer.parseInt(startingToken);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > sorted.size()) {
                throw CsiError.aborted("starting_token '" + startingToken + "' was not handed out by this plugin"
                        + " (or the list has shrunk below it); start again without a token");
            }
        }
        int to = maxEntries == 0 ? sorted.size() : Math.min(sorted.size(), from + maxEntries);
        return new Page<>(sorted.subList(from, to), to < sorted.size() ? Integer.toString(to) : "");
    }
}
