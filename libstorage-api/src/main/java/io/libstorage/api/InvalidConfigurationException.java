package io.libstorage.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration key is unknown, missing, malformed, given twice or contradicts another; or a
 * configuration file cannot be read as one. Names every key (or the file) concerned; several problems
 * found in one pass are reported together ({@link #combine}). Never quotes the value of a secret, nor a
 * line of a file.
 */
public final class InvalidConfigurationException extends StorageException {
    private final List<String> keys;
    private final List<String> problems;

    /** A problem with one key, e.g. {@code scaleio.endpoint}: "configuration key 'scaleio.endpoint': problem". */
    public InvalidConfigurationException(ErrorContext context, String key, String problem) {
        this(context, List.of(key), List.of("configuration key '" + key + "': " + problem));
    }

    private InvalidConfigurationException(ErrorContext context, List<String> keys, List<String> problems) {
        super(context, detail(problems), null);
        this.keys = List.copyOf(keys);
        this.problems = List.copyOf(problems);
    }

    private static String detail(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder detail = new StringBuilder().append(problems.size()).append(" configuration problems: ");
        for (int i = 0; i < problems.size(); i++) {
            detail.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(problems.get(i));
        }
        return detail.toString();
    }

    /**
     * A problem with a whole configuration file (missing, unreadable, not YAML, not a map of sections):
     * "configuration file '/etc/libstorage/config.yml': problem". {@link #key()} is then the file.
     */
    public static InvalidConfigurationException ofFile(ErrorContext context, String file, String problem) {
        return new InvalidConfigurationException(context, List.of(file), List.of("configuration file '" + file + "': " + problem));
    }

    /**
     * One exception for several problems found in one pass (every unknown key of a file, not only the
     * first), in their order; the context is theirs when they share one, else the first one's operation
     * alone. One problem is returned as it is.
     *
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public static InvalidConfigurationException combine(List<InvalidConfigurationException> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to combine");
        }
        if (problems.size() == 1) {
            return problems.get(0);
        }
        List<String> keys = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (InvalidConfigurationException p : problems) {
            keys.addAll(p.keys);
            all.addAll(p.problems);
        }
        ErrorContext first = problems.get(0).context();
        boolean shared = problems.stream().allMatch(p -> p.context().equals(first));
        return new InvalidConfigurationException(shared ? first : ErrorContext.of(first.operation()), keys, all);
    }

    /** The (first) key or file concerned. */
    public String key() {
        return keys.get(0);
    }

    /** Every key or file concerned, in the order of the problems. */
    public List<String> keys() {
        return keys;
    }

    @Override
    public String code() {
        return "INVALID_CONFIGURATION";
    }
}
