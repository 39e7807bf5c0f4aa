package io.libstorage.core.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a YAML configuration into a nested map. Errors name the file and the position. */
public final class YamlReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlReader() {
    }

    public static Map<String, Object> readFile(Path file) {
        try {
            return readString(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), file.toString(), "file does not exist");
        } catch (IOException e) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), file.toString(),
                    "cannot be read: " + e.getMessage());
        }
    }

    public static Map<String, Object> readString(String yaml, String source) {
        if (yaml.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> tree = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() { });
            return tree == null ? new LinkedHashMap<>() : tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), source,
                    "is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }
}
