package org.openinfolink.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openinfolink.json.Json;

/** {@link ParameterType#convert}: request values as the server's JSON codec reads them. */
class ParameterTypeTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A JSON value as a request body carries it. */
    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode text(String value) {
        return NODES.textNode(value);
    }

    private static void refused(ParameterType type, JsonNode value) {
        assertThrows(IllegalArgumentException.class, () -> type.convert(value), type + " accepted " + value);
    }

    @Test
    void typesAreKnownByTheirFileNames() {
        assertEquals(Optional.of(ParameterType.TEXT), ParameterType.byName("text"));
        assertEquals(Optional.of(ParameterType.INTEGER), ParameterType.byName("integer"));
        assertEquals(Optional.of(ParameterType.DECIMAL), ParameterType.byName("decimal"));
        assertEquals(Optional.of(ParameterType.BOOLEAN), ParameterType.byName("boolean"));
        assertEquals(Optional.of(ParameterType.DATE), ParameterType.byName("date"));
        assertEquals(Optional.of(ParameterType.DATETIME), ParameterType.byName("datetime"));
        assertEquals(Optional.empty(), ParameterType.byName("int"));
        assertEquals(Optional.empty(), ParameterType.byName("TEXT"));
        assertEquals("text", ParameterType.TEXT.typeName());
        assertEquals("an integer", ParameterType.INTEGER.description());
    }

    @ParameterizedTest
    @EnumSource(ParameterType.class)
    void nullMissingAndContainersAreNotValues(ParameterType type) {
        refused(type, null);
        refused(type, NullNode.getInstance());
        refused(type, MissingNode.getInstance());
        refused(type, json("[1]"));
        refused(type, json("{\"a\": 1}"));
    }

    @Test
    void textTakesScalarsAsTheirText() {
        assertEquals("US", ParameterType.TEXT.convert(text("US")));
        assertEquals("", ParameterType.TEXT.convert(text("")));
        assertEquals(" padded ", ParameterType.TEXT.convert(text(" padded ")));
        assertEquals("5", ParameterType.TEXT.convert(json("5")));
        assertEquals("12.50", ParameterType.TEXT.convert(json("12.50")));
        assertEquals("true", ParameterType.TEXT.convert(json("true")));
    }

    @Test
    void integerFromNumbersAndStrings() {
        assertEquals(5L, ParameterType.INTEGER.convert(json("5")));
        assertEquals(5L, ParameterType.INTEGER.convert(text("5")));
        assertEquals(-5L, ParameterType.INTEGER.convert(text("-5")));
        assertEquals(5L, ParameterType.INTEGER.convert(text("+5")));
        assertEquals(7L, ParameterType.INTEGER.convert(text("007")));
        assertEquals(5L, ParameterType.INTEGER.convert(json("5.0")));
        assertEquals(1000L, ParameterType.INTEGER.convert(json("1e3")));
        assertEquals(Long.MAX_VALUE, ParameterType.INTEGER.convert(json("9223372036854775807")));
        assertEquals(Long.MIN_VALUE, ParameterType.INTEGER.convert(text("-9223372036854775808")));
    }

    @Test
    void integerBeyondALongIsABigInteger() {
        assertEquals(new BigInteger("9223372036854775808"), ParameterType.INTEGER.convert(json("9223372036854775808")));
        assertEquals(new BigInteger("-123456789012345678901234567890"),
                ParameterType.INTEGER.convert(text("-123456789012345678901234567890")));
    }

    @Test
    void integerRefusesEverythingElse() {
        for (String value : new String[] {"abc", "", " ", "5.0", "1.5", "5a", "1e3", "0x10", "1 000", "--5",
                " 1", "1 ", " 5 ", "\t5", "5\n"}) {
            refused(ParameterType.INTEGER, text(value));
        }
        refused(ParameterType.INTEGER, json("1.5"));
        refused(ParameterType.INTEGER, json("true"));
    }

    @Test
    void decimalKeepsEveryDigit() {
        assertEquals(new BigDecimal("12345678901234567890.123456789012345678901234567890"),
                ParameterType.DECIMAL.convert(json("12345678901234567890.123456789012345678901234567890")));
        assertEquals(new BigDecimal("12345678901234567890.123456789012345678901234567890"),
                ParameterType.DECIMAL.convert(text("12345678901234567890.123456789012345678901234567890")));
        assertEquals(new BigDecimal("0.10"), ParameterType.DECIMAL.convert(json("0.10")));
        assertEquals("0.10", ParameterType.DECIMAL.convert(text("0.10")).toString(), "the scale is kept");
        assertEquals(new BigDecimal("5"), ParameterType.DECIMAL.convert(json("5")));
        assertEquals(new BigDecimal("-0.5"), ParameterType.DECIMAL.convert(text("-.5")));
        assertEquals(new BigDecimal("5"), ParameterType.DECIMAL.convert(text("+5.")));
        assertEquals(new BigDecimal("1E+3"), ParameterType.DECIMAL.convert(text("1e3")));
    }

    @Test
    void decimalRefusesEverythingElse() {
        for (String value : new String[] {"abc", "", "1,5", "1.2.3", "NaN", "Infinity", ".", "e3", "1e", "5 %",
                " 2.5", "2.5 "}) {
            refused(ParameterType.DECIMAL, text(value));
        }
        refused(ParameterType.DECIMAL, json("false"));
    }

    @Test
    void booleanFromBooleansAndTheirText() {
        assertEquals(true, ParameterType.BOOLEAN.convert(json("true")));
        assertEquals(false, ParameterType.BOOLEAN.convert(json("false")));
        assertEquals(true, ParameterType.BOOLEAN.convert(text("true")));
        assertEquals(false, ParameterType.BOOLEAN.convert(text("false")));
        assertEquals(true, ParameterType.BOOLEAN.convert(text("TRUE")));
        for (String value : new String[] {"yes", "no", "1", "0", "t", "", "truee", " False ", "true "}) {
            refused(ParameterType.BOOLEAN, text(value));
        }
        refused(ParameterType.BOOLEAN, json("1"));
        refused(ParameterType.BOOLEAN, json("0"));
    }

    @Test
    void dateFromIsoText() {
        assertEquals(LocalDate.of(2026, 11, 29), ParameterType.DATE.convert(text("2026-11-29")));
        assertEquals(LocalDate.of(2024, 2, 29), ParameterType.DATE.convert(text("2024-02-29")));
        for (String value : new String[] {"2026-02-30", "2025-02-29", "2026-13-01", "29.11.2026", "2026/11/29",
                "20261129", "2026-1-5", "2026-11-29T10:00:00", "", "today", " 2024-02-29", "2024-02-29 "}) {
            refused(ParameterType.DATE, text(value));
        }
        refused(ParameterType.DATE, json("20261129"));
    }

    @Test
    void datetimeWithoutOffsetIsLocal() {
        LocalDateTime expected = LocalDateTime.of(2026, 11, 29, 20, 11, 29);
        assertEquals(expected, ParameterType.DATETIME.convert(text("2026-11-29T20:11:29")));
        assertEquals(expected, ParameterType.DATETIME.convert(text("2026-11-29 20:11:29")));
        refused(ParameterType.DATETIME, text(" 2026-11-29 20:11:29 "));
        assertEquals(expected.withNano(123_000_000), ParameterType.DATETIME.convert(text("2026-11-29T20:11:29.123")));
        assertEquals(expected.withNano(123_456_789),
                ParameterType.DATETIME.convert(text("2026-11-29 20:11:29.123456789")));
        assertEquals(LocalDateTime.of(2026, 11, 29, 20, 11), ParameterType.DATETIME.convert(text("2026-11-29T20:11")));
    }

    @Test
    void datetimeWithOffsetKeepsTheOffset() {
        assertEquals(OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 0, ZoneOffset.UTC),
                ParameterType.DATETIME.convert(text("2026-11-29T20:11:29Z")));
        assertEquals(OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 0, ZoneOffset.UTC),
                ParameterType.DATETIME.convert(text("2026-11-29 20:11:29Z")));
        assertEquals(OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 0, ZoneOffset.ofHours(2)),
                ParameterType.DATETIME.convert(text("2026-11-29T20:11:29+02:00")));
        assertEquals(OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 123_000_000, ZoneOffset.ofHoursMinutes(-5, -30)),
                ParameterType.DATETIME.convert(text("2026-11-29 20:11:29.123-05:30")));
        assertEquals(OffsetDateTime.of(2026, 11, 29, 20, 11, 29, 0, ZoneOffset.ofHours(2)),
                ParameterType.DATETIME.convert(text("2026-11-29 20:11:29+02")));
    }

    @Test
    void datetimeRefusesEverythingElse() {
        for (String value : new String[] {"2026-11-29", "2026-11-29T25:00:00", "2026-11-29T20:61", "29.11.2026 20:11",
                "2026-11-29T20:11:29+25:00", "2026-11-29X20:11:29", "now", ""}) {
            refused(ParameterType.DATETIME, text(value));
        }
        refused(ParameterType.DATETIME, json("1764447089"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "-5", "12345678901234567890"})
    void asTextGivesTheIntegerDigits(String digits) {
        assertEquals(digits, ParameterType.asText(ParameterType.INTEGER.convert(text(digits))));
    }

    @Test
    void asTextWritesEveryValueAsATemplateShowsIt() {
        assertEquals("", ParameterType.asText(null));
        assertEquals("1000", ParameterType.asText(ParameterType.DECIMAL.convert(text("1e3"))), "plain, not 1E+3");
        assertEquals("0.10", ParameterType.asText(ParameterType.DECIMAL.convert(text("0.10"))));
        assertEquals("true", ParameterType.asText(true));
        assertEquals("2026-11-29", ParameterType.asText(LocalDate.of(2026, 11, 29)));
        assertEquals("2026-11-29T20:11:29", ParameterType.asText(ParameterType.DATETIME.convert(text("2026-11-29 20:11:29"))));
        assertEquals("2026-11-29T20:11:29Z", ParameterType.asText(ParameterType.DATETIME.convert(text("2026-11-29T20:11:29Z"))));
    }
}
