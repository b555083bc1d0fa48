package org.openinfolink.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code opParams} of an operation, from a scenario file or a request, into a validated
 * {@link Operation}. Stateless.
 */
public final class OperationParser {

    /** What a variable or parameter name may look like. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private static final int DEFAULT_BATCH_SIZE = 1000;
    private static final int MAX_BATCH_SIZE = 100_000;

    private OperationParser() {
    }

    /**
     * @param type     the operation
     * @param opParams its parameters (a JSON or YAML mapping); missing means empty
     * @throws InvalidOperationException with the reason when a parameter is missing or wrong
     */
    public static Operation parse(OperationType type, JsonNode opParams) throws InvalidOperationException {
        JsonNode params = opParams == null || opParams.isMissingNode() || opParams.isNull()
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : opParams;
        if (!params.isMissingNode() && !params.isObject()) {
            throw new InvalidOperationException("opParams must be an object");
        }
        return switch (type) {
            case TRANSFORM -> transform(params);
            case RUN_SOURCE_SCRIPT -> sourceScript(params);
            case SET_VARIABLE -> setVariable(params);
            case RUN_SCENARIO -> runScenario(params);
        };
    }

    private static Operation transform(JsonNode params) throws InvalidOperationException {
        checkKeys(params, Set.of("sourceName", "query", "returnResult", "resultName", "into", "limit",
                "queryTimeoutSeconds"));
        String query = requiredText(params, "query");
        boolean returnResult = bool(params, "returnResult");
        String resultName = optionalText(params, "resultName");
        Operation.Into into = null;
        JsonNode intoNode = params.path("into");
        if (!intoNode.isMissingNode() && !intoNode.isNull()) {
            if (!intoNode.isObject()) {
                throw new InvalidOperationException("into must be an object with sourceName, tableName and mode");
            }
            checkKeys(intoNode, "into.", Set.of("sourceName", "tableName", "mode", "batchSize"));
            String mode = optionalText(intoNode, "mode", "into.mode");
            if (mode != null && !mode.equals("append") && !mode.equals("replace")) {
                throw new InvalidOperationException("into.mode must be append or replace, got '" + mode + "'");
            }
            Long batchSize = optionalInteger(intoNode, "batchSize", "into.batchSize", 1, MAX_BATCH_SIZE);
            into = new Operation.Into(optionalText(intoNode, "sourceName", "into.sourceName"),
                    requiredText(intoNode, "tableName", "into.tableName"), "replace".equals(mode),
                    batchSize == null ? DEFAULT_BATCH_SIZE : batchSize.intValue());
        }
        if (returnResult && into != null) {
            throw new InvalidOperationException("use either returnResult: true or into, not both");
        }
        if (!returnResult && into == null) {
            throw new InvalidOperationException("Transform needs returnResult: true or into: {tableName: ...}");
        }
        if (!returnResult && resultName != null) {
            throw new InvalidOperationException("resultName needs returnResult: true");
        }
        Long timeout = optionalInteger(params, "queryTimeoutSeconds", "queryTimeoutSeconds", 1, Integer.MAX_VALUE);
        return new Operation.Transform(optionalText(params, "sourceName"), query, returnResult, resultName, into,
                optionalInteger(params, "limit", "limit", 0, Long.MAX_VALUE),
                timeout == null ? null : timeout.intValue());
    }

    private static Operation sourceScript(JsonNode params) throws InvalidOperationException {
        checkKeys(params, Set.of("sourceName", "script", "queryTimeoutSeconds"));
        Long timeout = optionalInteger(params, "queryTimeoutSeconds", "queryTimeoutSeconds", 1, Integer.MAX_VALUE);
        return new Operation.RunSourceScript(optionalText(params, "sourceName"), requiredText(params, "script"),
                timeout == null ? null : timeout.intValue());
    }

    private static Operation setVariable(JsonNode params) throws InvalidOperationException {
        checkKeys(params, Set.of("name", "value"));
        String name = requiredText(params, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidOperationException("name '" + name + "' is not a valid variable name");
        }
        JsonNode value = params.path("value");
        if (value.isMissingNode()) {
            throw new InvalidOperationException("value is required");
        }
        if (value.isContainerNode()) {
            throw new InvalidOperationException("value must be a string");
        }
        return new Operation.SetVariable(name, value.isNull() ? "" : value.asText());
    }

    private static Operation runScenario(JsonNode params) throws InvalidOperationException {
        checkKeys(params, Set.of("scenario", "parameters"));
        String scenario = requiredText(params, "scenario");
        JsonNode parametersNode = params.path("parameters");
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        if (!parametersNode.isMissingNode() && !parametersNode.isNull()) {
            if (!parametersNode.isObject()) {
                throw new InvalidOperationException("parameters must be an object");
            }
            for (Map.Entry<String, JsonNode> field : parametersNode.properties()) {
                if (field.getValue().isContainerNode()) {
                    throw new InvalidOperationException("parameter '" + field.getKey()
                            + "' must be a string, number or boolean");
                }
                parameters.put(field.getKey(), field.getValue());
            }
        }
        return new Operation.RunScenario(scenario, Collections.unmodifiableMap(parameters));
    }

    private static void checkKeys(JsonNode params, Set<String> allowed) throws InvalidOperationException {
        checkKeys(params, "", allowed);
    }

    private static void checkKeys(JsonNode params, String prefix, Set<String> allowed)
            throws InvalidOperationException {
        Iterator<String> names = params.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidOperationException("unknown opParam '" + prefix + name + "'");
            }
        }
    }

    private static String requiredText(JsonNode params, String key) throws InvalidOperationException {
        return requiredText(params, key, key);
    }

    private static String requiredText(JsonNode params, String key, String label) throws InvalidOperationException {
        String value = optionalText(params, key, label);
        if (value == null || value.isBlank()) {
            throw new InvalidOperationException(label + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode params, String key) throws InvalidOperationException {
        return optionalText(params, key, key);
    }

    private static String optionalText(JsonNode params, String key, String label) throws InvalidOperationException {
        JsonNode node = params.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new InvalidOperationException(label + " must be a string");
        }
        String text = node.asText();
        return text.isEmpty() ? null : text;
    }

    private static boolean bool(JsonNode params, String key) throws InvalidOperationException {
        JsonNode node = params.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return Boolean.parseBoolean(node.asText());
        }
        throw new InvalidOperationException(key + " must be true or false");
    }

    private static Long optionalInteger(JsonNode params, String key, String label, long min, long max)
            throws InvalidOperationException {
        JsonNode node = params.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        BigInteger value;
        if (node.canConvertToExactIntegral()) {
            value = node.decimalValue().toBigIntegerExact();
        } else if (node.isTextual() && node.asText().trim().matches("[+-]?\\d+")) {
            value = new BigInteger(node.asText().trim());
        } else {
            throw new InvalidOperationException(label + " must be an integer");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InvalidOperationException(label + " must be between " + min + " and " + max);
        }
        return value.longValue();
    }
}
