package org.openinfolink.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.openinfolink.json.Json;

/**
 * One column of a query result, as {@link ColumnTypes#describe} reads it from the driver.
 *
 * @param name          the column label
 * @param typeName      the database's type name in lower case as the driver reports it
 *                      ({@code int4}, {@code character varying}, {@code bigint unsigned})
 * @param typeStr       the type as written in the database's DDL ({@code varchar(50)},
 *                      {@code numeric(10,2)}, {@code timestamp with time zone})
 * @param precision     the driver's precision; {@code -1} for a length without limit
 * @param scale         the driver's scale (for times and timestamps: the fractional digits)
 * @param jdbcType      the driver's {@link java.sql.Types} code
 * @param standardType  the portable type
 * @param withTimeZone  for {@link StandardType#TIME} and {@link StandardType#DATETIME}: whether
 *                      values carry an offset ({@code timestamptz}, {@code timetz})
 * @param unsigned      for {@link StandardType#INTEGER} and {@link StandardType#DECIMAL}: a
 *                      MariaDB {@code UNSIGNED} type
 * @param dialect       the database the column comes from
 */
public record ColumnInfo(
        String name,
        String typeName,
        String typeStr,
        int precision,
        int scale,
        int jdbcType,
        StandardType standardType,
        boolean withTimeZone,
        boolean unsigned,
        SqlDialect dialect) {

    /** Whether the column holds JSON documents ({@code json}, {@code jsonb}). */
    public boolean isJson() {
        return typeName.equals("json") || typeName.equals("jsonb");
    }

    /** Whether the column holds UUIDs (a {@code uuid} type, not text that happens to hold one). */
    public boolean isUuid() {
        return typeName.equals("uuid");
    }

    /**
     * The codec for this column's values. Resolve it once per column, before the rows: the
     * returned codec does no per-row type lookup and is shared and thread-safe.
     */
    public ColumnCodec codec() {
        return StandardCodec.of(this);
    }

    /**
     * Writes this column's entry of a result set's {@code schema} (contract section 6):
     * {@code {"name", "updateable": false, "type": {"typeStr", "name", "precision", "scale"},
     * "typeStandard": {"typeStr", "name"}}}.
     */
    public void writeSchema(JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("name", name);
        gen.writeBooleanField("updateable", false);
        gen.writeObjectFieldStart("type");
        gen.writeStringField("typeStr", typeStr);
        gen.writeStringField("name", typeName);
        gen.writeNumberField("precision", precision);
        gen.writeNumberField("scale", scale);
        gen.writeEndObject();
        gen.writeObjectFieldStart("typeStandard");
        gen.writeStringField("typeStr", standardType.jsonName());
        gen.writeStringField("name", standardType.jsonName());
        gen.writeEndObject();
        gen.writeEndObject();
    }

    /** A result set's whole {@code schema} array, as JSON text. */
    public static String schemaJson(List<ColumnInfo> columns) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(text)) {
            json.writeStartArray();
            for (ColumnInfo column : columns) {
                column.writeSchema(json);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
