package org.openinfolink.sql;

import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed table of the type matrix: a {@code row_no} column and one column per
 * {@link TypeCase}; row 1 holds the known values, row 2 only NULLs. Also writes result rows as
 * the server does, and reads the written JSON back field by field.
 */
final class TypedTable {

    static final String NAME = "typed";

    private static final JsonFactory JSON = new JsonFactory();

    private TypedTable() {
    }

    static void create(Connection connection, List<TypeCase> cases) throws SQLException {
        String declarations = cases.stream().map(c -> c.column() + " " + c.declaration()).collect(joining(", "));
        String literals = cases.stream().map(TypeCase::literal).collect(joining(", "));
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + NAME + " (row_no integer, " + declarations + ")");
            statement.execute("INSERT INTO " + NAME + " (row_no, " + columnList(cases) + ") VALUES (1, " + literals + ")");
            statement.execute("INSERT INTO " + NAME + " (row_no) VALUES (2)");
        }
    }

    /** {@code SELECT row_no, <every case column> FROM <table> ORDER BY row_no}. */
    static String select(String table, List<TypeCase> cases) {
        return "SELECT row_no, " + columnList(cases) + " FROM " + table + " ORDER BY row_no";
    }

    /**
     * Writes every remaining row of {@code rs} as a JSON array of records keyed by column label,
     * each value by its column's codec, resolved once per column. Every value is also read and
     * written apart ({@link ColumnCodec#read}, then {@link ColumnCodec#writeValue}), as a job does
     * when it reads a large result on one thread and writes it on another, and must come out the same.
     */
    static String writeRecords(ResultSet rs, List<ColumnInfo> columns) throws SQLException, IOException {
        ColumnCodec[] codecs = columns.stream().map(ColumnInfo::codec).toArray(ColumnCodec[]::new);
        StringWriter out = new StringWriter();
        StringWriter apart = new StringWriter();
        try (JsonGenerator gen = JSON.createGenerator(out); JsonGenerator second = JSON.createGenerator(apart)) {
            gen.writeStartArray();
            second.writeStartArray();
            while (rs.next()) {
                gen.writeStartObject();
                second.writeStartObject();
                for (int i = 0; i < codecs.length; i++) {
                    gen.writeFieldName(columns.get(i).name());
                    codecs[i].writeJson(rs, i + 1, gen);
                    second.writeFieldName(columns.get(i).name());
                    codecs[i].writeValue(codecs[i].read(rs, i + 1), second);
                }
                gen.writeEndObject();
                second.writeEndObject();
            }
            gen.writeEndArray();
            second.writeEndArray();
        }
        assertEquals(out.toString(), apart.toString(), "read then writeValue writes what writeJson writes");
        return out.toString();
    }

    /**
     * The records of a JSON array, each field's value as exact JSON text: numbers as written
     * (so {@code 1.50} stays {@code 1.50}), strings re-quoted the way Jackson writes them.
     */
    static List<Map<String, String>> fieldTexts(String recordsJson) throws IOException {
        List<Map<String, String>> records = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(recordsJson)) {
            expect(parser.nextToken(), JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> fields = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    fields.put(name, value == JsonToken.VALUE_STRING ? TypeCase.str(parser.getText()) : parser.getText());
                }
                records.add(fields);
            }
        }
        return records;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("Expected " + expected + ", got " + actual);
        }
    }

    private static String columnList(List<TypeCase> cases) {
        return cases.stream().map(TypeCase::column).collect(joining(", "));
    }
}
