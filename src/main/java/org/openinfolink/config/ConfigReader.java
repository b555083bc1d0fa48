package org.openinfolink.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openinfolink.json.Json;

/**
 * Reads one YAML configuration file and its values with errors that name the file and the key.
 * Keys are written as dotted paths ({@code jobs.maxConcurrent}). Instances are used by one thread
 * while a file is loaded.
 *
 * <p>Every scalar is read as the text written in the file, and typed only by the setting that reads
 * it: YAML 1.1's implicit types would otherwise turn {@code NO} into false and the app id
 * {@code 010} into 8. {@code ~}, {@code null} and an empty value mean "not given".
 */
public final class ConfigReader {

    private final Path file;

    public ConfigReader(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * The file's top-level mapping; an empty file is an empty mapping.
     *
     * @throws ConfigurationException if the file is missing, unreadable, not YAML or not a mapping
     */
    public ObjectNode readMapping() {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file);
             JsonParser parser = YAML.createParser(in)) {
            root = parser.nextToken() == null ? null : readValue(parser);
            if (parser.nextToken() != null) {
                throw fail("holds more than one YAML document");
            }
        } catch (NoSuchFileException e) {
            throw fail("file not found");
        } catch (JsonProcessingException e) {
            throw fail("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw fail("cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw fail("must be a mapping of keys to values");
        }
        return (ObjectNode) root;
    }

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .streamReadConstraints(Json.mapper().getFactory().streamReadConstraints())
            .build();

    /** The value at the parser's current token, scalars as their text. */
    private static JsonNode readValue(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = nodes.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                object.set(name, readValue(parser));
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = nodes.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(readValue(parser));
            }
            return array;
        }
        if (token == JsonToken.VALUE_NULL) {
            return nodes.nullNode();
        }
        return nodes.textNode(parser.getText());
    }

    /** Whether a value is not given: missing, null, or an empty scalar. */
    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }

    public ConfigurationException fail(String message) {
        return new ConfigurationException(file, message);
    }

    public ConfigurationException fail(String key, String message) {
        return new ConfigurationException(file, key + ": " + message);
    }

    /** Refuses keys of {@code node} outside {@code allowed}, so a misspelt setting is not ignored. */
    public void checkKeys(JsonNode node, String where, Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw fail(join(where, name), "unknown key; expected one of " + String.join(", ", allowed));
            }
        }
    }

    /** The mapping under {@code key}, or an empty node when absent. */
    public JsonNode mapping(JsonNode parent, String where, String key) {
        JsonNode node = parent.path(key);
        if (isAbsent(node)) {
            return MissingNode.getInstance();
        }
        if (!node.isObject()) {
            throw fail(join(where, key), "must be a mapping");
        }
        return node;
    }

    public long integer(JsonNode parent, String where, String key, long defaultValue, long min, long max) {
        JsonNode node = parent.path(key);
        if (isAbsent(node)) {
            return defaultValue;
        }
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else if (node.isTextual() && node.asText().trim().matches("-?\\d+")) {
            value = new BigInteger(node.asText().trim());
        } else {
            throw fail(join(where, key), "must be an integer, got '" + node.asText() + "'");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw fail(join(where, key), "must be between " + min + " and " + max + ", got " + value);
        }
        return value.longValue();
    }

    public boolean bool(JsonNode parent, String where, String key, boolean defaultValue) {
        JsonNode node = parent.path(key);
        if (isAbsent(node)) {
            return defaultValue;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw fail(join(where, key), "must be true or false, got '" + node.asText() + "'");
    }

    /** A string value; numbers and booleans are read as their text. Null when absent or empty. */
    public String text(JsonNode parent, String where, String key) {
        JsonNode node = parent.path(key);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isValueNode()) {
            throw fail(join(where, key), "must be a string");
        }
        return node.asText();
    }

    /** A list of strings; a single string is a list of one. Null when absent. */
    public List<String> textList(JsonNode parent, String where, String key) {
        JsonNode node = parent.path(key);
        if (isAbsent(node)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isValueNode()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    throw fail(join(where, key), "must be a list of strings");
                }
                values.add(item.asText());
            }
        } else {
            throw fail(join(where, key), "must be a list of strings");
        }
        return values;
    }

    public static String join(String where, String key) {
        return where == null || where.isEmpty() ? key : where + "." + key;
    }
}
