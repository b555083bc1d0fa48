package org.openinfolink.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads, writes and binds the values of one result column. Obtain it once per column with
 * {@link ColumnInfo#codec()}, then call it for every row: it does no per-row type lookup.
 * Implementations are stateless and thread-safe. None of the methods moves the cursor or
 * closes anything.
 */
public interface ColumnCodec {

    /**
     * Writes the current row's value of column {@code index} as one JSON value, per contract
     * section 6: text and other as strings, integer and decimal as numbers with every digit,
     * float as numbers, boolean as {@code true}/{@code false}, {@code 2026-11-29},
     * {@code 20:11:29}, {@code 2026-11-29T20:11:29.123} (plus the offset for columns with a time
     * zone), binary as base64, SQL NULL as {@code null}. The fraction of a time is written only
     * when it is not zero, as 3, 6 or 9 digits. Values a JSON number cannot hold ({@code NaN},
     * {@code Infinity}, {@code -Infinity}) and PostgreSQL's infinite dates
     * ({@code infinity}, {@code -infinity}) are written as strings.
     */
    void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException;

    /**
     * Writes a value that {@link #read} of this codec returned exactly as {@link #writeJson}
     * writes it from the row: so one thread can read rows while another writes them.
     */
    void writeValue(Object value, JsonGenerator gen) throws IOException;

    /**
     * The current row's value of column {@code index} as a Java value to copy into another
     * table, or {@code null} for SQL NULL: {@code String} (text, other), {@code Long} (integer;
     * {@code BigDecimal} for MariaDB {@code BIGINT UNSIGNED}), {@code BigDecimal} (decimal; the
     * {@code String} {@code "NaN"} or {@code "Infinity"} for PostgreSQL's special values),
     * {@code Float} ({@code REAL}) or {@code Double}, {@code Boolean}, {@code LocalDate},
     * {@code LocalTime} or {@code OffsetTime}, {@code LocalDateTime} or {@code OffsetDateTime},
     * {@code byte[]}. A MariaDB {@code TIME} outside 00:00–24:00 is a duration and comes as
     * MariaDB's {@code String}, e.g. {@code -838:59:59}.
     */
    Object read(ResultSet rs, int index) throws SQLException;

    /**
     * Binds {@code value}, as returned by {@link #read} of this codec, to parameter
     * {@code index} of an INSERT into a column that {@link TableDdl} made from the same
     * {@link ColumnInfo} on the {@code target} database. {@code null} binds SQL NULL.
     */
    void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException;
}
