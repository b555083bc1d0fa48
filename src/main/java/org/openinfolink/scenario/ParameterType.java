package org.openinfolink.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The declared type of a scenario parameter: how a request value is converted, how the value is
 * bound to SQL, and how it reads as text in non-SQL templates.
 *
 * <p>Request values may be JSON scalars or strings ({@code "5"} is a valid integer). Strings are
 * taken as they are, never trimmed: {@code " 1"} is not an integer. Converted
 * values are {@link String}, {@link Long} or {@link BigInteger}, {@link BigDecimal}, {@link Boolean},
 * {@link LocalDate}, and {@link LocalDateTime} or {@link OffsetDateTime} (when the text has an
 * offset).
 */
public enum ParameterType {
    TEXT("text", "text", Types.VARCHAR),
    INTEGER("integer", "an integer", Types.BIGINT),
    DECIMAL("decimal", "a decimal number", Types.DECIMAL),
    BOOLEAN("boolean", "true or false", Types.BOOLEAN),
    DATE("date", "a date (yyyy-mm-dd)", Types.DATE),
    DATETIME("datetime", "a date-time (ISO-8601, e.g. 2026-11-29T20:11:29)", Types.TIMESTAMP);

    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String typeName;
    private final String description;
    private final int sqlType;

    ParameterType(String typeName, String description, int sqlType) {
        this.typeName = typeName;
        this.description = description;
        this.sqlType = sqlType;
    }

    /** The name used in scenario files. */
    public String typeName() {
        return typeName;
    }

    /** What a value must be, for error messages: "an integer". */
    public String description() {
        return description;
    }

    public static Optional<ParameterType> byName(String name) {
        return Arrays.stream(values()).filter(type -> type.typeName.equals(name)).findFirst();
    }

    /**
     * Converts a request or default value. JSON null is not a value: callers treat it as absent.
     *
     * @throws IllegalArgumentException if the value is not of this type; the message is empty of
     *                                  detail, callers build the user-facing sentence
     */
    public Object convert(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
            throw new IllegalArgumentException();
        }
        String text = value.asText();
        try {
            return switch (this) {
                case TEXT -> text;
                case INTEGER -> toInteger(value, text);
                case DECIMAL -> toDecimal(value, text);
                case BOOLEAN -> toBoolean(value, text);
                case DATE -> LocalDate.parse(requireText(value, text));
                case DATETIME -> toDateTime(requireText(value, text));
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Binds a converted value (or null) as the JDBC parameter at {@code index}. */
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType);
            return;
        }
        switch (this) {
            case TEXT -> statement.setString(index, (String) value);
            case INTEGER -> {
                if (value instanceof Long number) {
                    statement.setLong(index, number);
                } else {
                    statement.setBigDecimal(index, new BigDecimal((BigInteger) value));
                }
            }
            case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case DATE, DATETIME -> statement.setObject(index, value);
        }
    }

    /** The value as text, for non-SQL templates and nested scenario parameters. */
    public static String asText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static String requireText(JsonNode value, String text) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException();
        }
        return text;
    }

    private static Object toInteger(JsonNode value, String text) {
        BigInteger number;
        if (value.isIntegralNumber()) {
            number = value.bigIntegerValue();
        } else if (value.isNumber()) {
            number = value.decimalValue().toBigIntegerExact();
        } else if (value.isTextual() && INTEGER_TEXT.matcher(text).matches()) {
            number = new BigInteger(text);
        } else {
            throw new IllegalArgumentException();
        }
        if (number.compareTo(LONG_MIN) >= 0 && number.compareTo(LONG_MAX) <= 0) {
            return number.longValue();
        }
        return number;
    }

    private static BigDecimal toDecimal(JsonNode value, String text) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual() && DECIMAL_TEXT.matcher(text).matches()) {
            return new BigDecimal(text);
        }
        throw new IllegalArgumentException();
    }

    private static Boolean toBoolean(JsonNode value, String text) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.valueOf(lower);
            }
        }
        throw new IllegalArgumentException();
    }

    private static Object toDateTime(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        if (iso.endsWith("Z") || iso.matches(".*T.*[+-]\\d\\d(:?\\d\\d)?$")) {
            // +0200 as well as +02:00 and +02
            return OffsetDateTime.parse(iso.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
        }
        return LocalDateTime.parse(iso);
    }
}
