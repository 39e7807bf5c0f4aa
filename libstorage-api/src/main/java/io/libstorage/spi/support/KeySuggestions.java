package io.libstorage.spi.support;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ...?" for configuration keys and driver names: a known name that differs by at most two
 * letters (a typo, two swapped letters), or one whose last dotted segment is the unknown key's (the key
 * sits under the wrong section, e.g. {@code libstorage.logging.service} for {@code libstorage.service}).
 * Case never matters. Stateless and thread-safe.
 */
public final class KeySuggestions {
    private static final int MAX_EDITS = 2;
    private static final int MAX_SUGGESTIONS = 3;

    private KeySuggestions() {
    }

    /** Up to three names of {@code known} that {@code unknown} probably meant, the closest first. */
    public static List<String> suggest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        String uLast = lastSegment(u);
        record Candidate(String name, int edits) {
        }
        return known.stream().distinct()
                .map(k -> new Candidate(k, distance(u, k.toLowerCase(Locale.ROOT))))
                .filter(c -> c.edits() > 0 && (c.edits() <= MAX_EDITS || lastSegment(c.name().toLowerCase(Locale.ROOT)).equals(uLast)))
                .sorted(Comparator.comparingInt(Candidate::edits).thenComparing(Candidate::name))
                .limit(MAX_SUGGESTIONS).map(Candidate::name).toList();
    }

    /** {@code " (did you mean 'a'?)"}, {@code " (did you mean 'a' or 'b'?)"}, or {@code ""} when nothing is close. */
    public static String didYouMean(String unknown, Collection<String> known) {
        List<String> s = suggest(unknown, known);
        if (s.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (did you mean ");
        for (int i = 0; i < s.size(); i++) {
            b.append(i == 0 ? "" : i == s.size() - 1 ? " or " : ", ").append('\'').append(s.get(i)).append('\'');
        }
        return b.append("?)").toString();
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
