package org.openinfolink.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;

/**
 * One column of the type matrix: how it is declared and filled on its database, what
 * {@link ColumnTypes} must report for it, the JSON its codec must write, and the type and JSON
 * of its copy on each other database.
 *
 * @param column      the column name
 * @param declaration the column's type in the source database's DDL
 * @param literal     the SQL literal of the known value
 * @param json        the exact JSON text the codec writes for the known value
 * @param copies      per target database: the copy's type and JSON
 */
record TypeCase(String column, String declaration, String literal, Expected expected, String json,
                Map<SqlDialect, Copy> copies) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link ColumnTypes#describe} must report. */
    record Expected(String typeName, String typeStr, int precision, int scale, StandardType standardType) {
    }

    /** A copy made with {@link TableDdl} and the codecs: its type on the target and its JSON. */
    record Copy(String typeStr, String json) {
    }

    static TypeCase column(String column, String declaration, String literal, String typeName, String typeStr,
                           int precision, int scale, StandardType standardType, String json) {
        return new TypeCase(column, declaration, literal,
                new Expected(typeName, typeStr, precision, scale, standardType), json, Map.of());
    }

    /** The copy on {@code target} has the type {@code typeStr} and the same JSON as the source. */
    TypeCase to(SqlDialect target, String typeStr) {
        return to(target, typeStr, json);
    }

    /** The copy on {@code target} has the type {@code typeStr} and the JSON {@code copyJson}. */
    TypeCase to(SqlDialect target, String typeStr, String copyJson) {
        Map<SqlDialect, Copy> more = new EnumMap<>(SqlDialect.class);
        more.putAll(copies);
        more.put(target, new Copy(typeStr, copyJson));
        return new TypeCase(column, declaration, literal, expected, json, Map.copyOf(more));
    }

    Copy copyOn(SqlDialect target) {
        Copy copy = copies.get(target);
        if (copy == null) {
            throw new IllegalStateException("No expected copy of " + column + " on " + target);
        }
        return copy;
    }

    /** The JSON text of a string, as Jackson writes it. */
    static String str(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
