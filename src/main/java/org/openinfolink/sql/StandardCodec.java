package org.openinfolink.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * The codecs, one per way of handling a value. {@link #of(ColumnInfo)} picks one per column;
 * after that every call is a plain getter/setter of the driver and a Jackson write.
 */
enum StandardCodec implements ColumnCodec {

    TEXT {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            String value = rs.getString(index);
            if (value == null) {
                gen.writeNull();
            } else {
                gen.writeString(value);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.VARCHAR);
            } else {
                ps.setString(index, value.toString());
            }
        }
    },

    /** Integers that fit a {@code long}: every integer type but MariaDB's BIGINT UNSIGNED. */
    INTEGER {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            long value = rs.getLong(index);
            if (value == 0 && rs.wasNull()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            long value = rs.getLong(index);
            return value == 0 && rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.BIGINT);
            } else {
                ps.setLong(index, ((Number) value).longValue());
            }
        }
    },

    /** MariaDB's BIGINT UNSIGNED, up to 18446744073709551615. */
    UNSIGNED_BIGINT {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            writePlain(rs.getBigDecimal(index), gen);
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getBigDecimal(index);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.NUMERIC);
            } else {
                ps.setBigDecimal(index, (BigDecimal) value);
            }
        }
    },

    DECIMAL {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            BigDecimal value;
            try {
                value = rs.getBigDecimal(index);
            } catch (SQLException e) {
                gen.writeString(specialNumber(rs, index, e));
                return;
            }
            writePlain(value, gen);
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            try {
                return rs.getBigDecimal(index);
            } catch (SQLException e) {
                return specialNumber(rs, index, e);
            }
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.NUMERIC);
            } else if (value instanceof BigDecimal decimal) {
                ps.setBigDecimal(index, decimal);
            } else if (target == SqlDialect.POSTGRESQL) {
                ps.setObject(index, value.toString(), Types.OTHER);
            } else {
                ps.setString(index, value.toString());
            }
        }
    },

    /** {@code REAL} columns, as {@code float}: 1.1 stays 1.1. */
    REAL {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            float value = rs.getFloat(index);
            if (value == 0 && rs.wasNull()) {
                gen.writeNull();
            } else if (Float.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeString(Float.toString(value));
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            float value = rs.getFloat(index);
            return value == 0 && rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.REAL);
            } else {
                ps.setFloat(index, ((Number) value).floatValue());
            }
        }
    },

    DOUBLE {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            double value = rs.getDouble(index);
            if (value == 0 && rs.wasNull()) {
                gen.writeNull();
            } else if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeString(Double.toString(value));
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            double value = rs.getDouble(index);
            return value == 0 && rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.DOUBLE);
            } else {
                ps.setDouble(index, ((Number) value).doubleValue());
            }
        }
    },

    BOOLEAN {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            boolean value = rs.getBoolean(index);
            if (!value && rs.wasNull()) {
                gen.writeNull();
            } else {
                gen.writeBoolean(value);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            boolean value = rs.getBoolean(index);
            return !value && rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.BOOLEAN);
            } else {
                ps.setBoolean(index, (Boolean) value);
            }
        }
    },

    DATE {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            LocalDate value = rs.getObject(index, LocalDate.class);
            if (value == null) {
                gen.writeNull();
            } else if (value.equals(LocalDate.MAX)) {
                gen.writeString(INFINITY);
            } else if (value.equals(LocalDate.MIN)) {
                gen.writeString(MINUS_INFINITY);
            } else {
                IsoText.writeDate(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getObject(index, LocalDate.class);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            bindTemporal(ps, index, value, Types.DATE);
        }
    },

    TIME {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            LocalTime value = rs.getObject(index, LocalTime.class);
            if (value == null) {
                gen.writeNull();
            } else {
                IsoText.writeTime(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getObject(index, LocalTime.class);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            bindTemporal(ps, index, value, Types.TIME);
        }
    },

    /**
     * MariaDB's {@code TIME}, which is a duration from -838:59:59 to 838:59:59: the driver would
     * wrap a value outside one day silently, so the codec reads MariaDB's text and keeps such
     * a value as that text.
     */
    MARIADB_TIME {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            String text = rs.getString(index);
            if (text == null) {
                gen.writeNull();
                return;
            }
            LocalTime value = IsoText.parseTimeOfDay(text);
            if (value == null) {
                gen.writeString(text);
            } else {
                IsoText.writeTime(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            String text = rs.getString(index);
            if (text == null) {
                return null;
            }
            LocalTime value = IsoText.parseTimeOfDay(text);
            return value == null ? text : value;
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value instanceof String duration) {
                ps.setString(index, duration);
            } else {
                bindTemporal(ps, index, value, Types.TIME);
            }
        }
    },

    ZONED_TIME {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            OffsetTime value = rs.getObject(index, OffsetTime.class);
            if (value == null) {
                gen.writeNull();
            } else {
                IsoText.writeTime(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getObject(index, OffsetTime.class);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (target != SqlDialect.MARIADB) {
                bindTemporal(ps, index, value, Types.TIME_WITH_TIMEZONE);
            } else if (value instanceof OffsetTime time) {
                ps.setObject(index, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime());
            } else {
                bindTemporal(ps, index, value, Types.TIME);
            }
        }
    },

    DATETIME {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            LocalDateTime value = rs.getObject(index, LocalDateTime.class);
            if (value == null) {
                gen.writeNull();
            } else if (value.equals(LocalDateTime.MAX)) {
                gen.writeString(INFINITY);
            } else if (value.equals(LocalDateTime.MIN)) {
                gen.writeString(MINUS_INFINITY);
            } else {
                IsoText.writeDateTime(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getObject(index, LocalDateTime.class);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            bindTemporal(ps, index, value, Types.TIMESTAMP);
        }
    },

    ZONED_DATETIME {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
            if (value == null) {
                gen.writeNull();
            } else if (value.equals(OffsetDateTime.MAX)) {
                gen.writeString(INFINITY);
            } else if (value.equals(OffsetDateTime.MIN)) {
                gen.writeString(MINUS_INFINITY);
            } else {
                IsoText.writeDateTime(value, gen);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getObject(index, OffsetDateTime.class);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (target != SqlDialect.MARIADB) {
                bindTemporal(ps, index, value, Types.TIMESTAMP_WITH_TIMEZONE);
            } else if (value instanceof OffsetDateTime dateTime) {
                ps.setObject(index, dateTime.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            } else {
                bindTemporal(ps, index, value, Types.TIMESTAMP);
            }
        }
    },

    BINARY {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            byte[] value = rs.getBytes(index);
            if (value == null) {
                gen.writeNull();
            } else {
                gen.writeBinary(value);
            }
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getBytes(index);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (value == null) {
                ps.setNull(index, Types.VARBINARY);
            } else {
                ps.setBytes(index, (byte[]) value);
            }
        }
    },

    /** Anything else (uuid, arrays, intervals, ...): the driver's text of the value. */
    OTHER {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            TEXT.writeJson(rs, index, gen);
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (target != SqlDialect.POSTGRESQL) {
                TEXT.bind(ps, index, value, target);
            } else if (value == null) {
                ps.setNull(index, Types.OTHER);
            } else {
                ps.setObject(index, value.toString(), Types.OTHER);
            }
        }
    },

    /** JSON documents, as their text. H2 reads a JSON parameter from bytes, not from text. */
    JSON {
        @Override
        public void writeJson(ResultSet rs, int index, JsonGenerator gen) throws SQLException, IOException {
            TEXT.writeJson(rs, index, gen);
        }

        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        public void bind(PreparedStatement ps, int index, Object value, SqlDialect target) throws SQLException {
            if (target != SqlDialect.H2) {
                OTHER.bind(ps, index, value, target);
            } else if (value == null) {
                ps.setNull(index, Types.OTHER);
            } else {
                ps.setBytes(index, value.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    };

    private static final String INFINITY = "infinity";
    private static final String MINUS_INFINITY = "-infinity";

    /** The codec for a column, chosen from its standard type and flags. */
    static StandardCodec of(ColumnInfo column) {
        return switch (column.standardType()) {
            case TEXT -> TEXT;
            case INTEGER -> column.unsigned() && column.jdbcType() == Types.BIGINT ? UNSIGNED_BIGINT : INTEGER;
            case DECIMAL -> DECIMAL;
            case FLOAT -> column.jdbcType() == Types.REAL ? REAL : DOUBLE;
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case TIME -> column.withTimeZone() ? ZONED_TIME
                    : column.dialect() == SqlDialect.MARIADB ? MARIADB_TIME : TIME;
            case DATETIME -> column.withTimeZone() ? ZONED_DATETIME : DATETIME;
            case BINARY -> BINARY;
            case OTHER -> column.isJson() ? JSON : OTHER;
        };
    }

    @Override
    public void writeValue(Object value, JsonGenerator gen) throws IOException {
        if (value == null) {
            gen.writeNull();
            return;
        }
        switch (this) {
            case TEXT, OTHER, JSON -> gen.writeString((String) value);
            case INTEGER -> gen.writeNumber((long) (Long) value);
            case UNSIGNED_BIGINT -> writePlain((BigDecimal) value, gen);
            case DECIMAL -> {
                if (value instanceof BigDecimal decimal) {
                    writePlain(decimal, gen);
                } else {
                    gen.writeString(value.toString());
                }
            }
            case REAL -> {
                float number = (Float) value;
                if (Float.isFinite(number)) {
                    gen.writeNumber(number);
                } else {
                    gen.writeString(Float.toString(number));
                }
            }
            case DOUBLE -> {
                double number = (Double) value;
                if (Double.isFinite(number)) {
                    gen.writeNumber(number);
                } else {
                    gen.writeString(Double.toString(number));
                }
            }
            case BOOLEAN -> gen.writeBoolean((Boolean) value);
            case DATE -> {
                LocalDate date = (LocalDate) value;
                if (date.equals(LocalDate.MAX)) {
                    gen.writeString(INFINITY);
                } else if (date.equals(LocalDate.MIN)) {
                    gen.writeString(MINUS_INFINITY);
                } else {
                    IsoText.writeDate(date, gen);
                }
            }
            case TIME -> IsoText.writeTime((LocalTime) value, gen);
            case MARIADB_TIME -> {
                if (value instanceof LocalTime time) {
                    IsoText.writeTime(time, gen);
                } else {
                    gen.writeString((String) value);
                }
            }
            case ZONED_TIME -> IsoText.writeTime((OffsetTime) value, gen);
            case DATETIME -> {
                LocalDateTime dateTime = (LocalDateTime) value;
                if (dateTime.equals(LocalDateTime.MAX)) {
                    gen.writeString(INFINITY);
                } else if (dateTime.equals(LocalDateTime.MIN)) {
                    gen.writeString(MINUS_INFINITY);
                } else {
                    IsoText.writeDateTime(dateTime, gen);
                }
            }
            case ZONED_DATETIME -> {
                OffsetDateTime dateTime = (OffsetDateTime) value;
                if (dateTime.equals(OffsetDateTime.MAX)) {
                    gen.writeString(INFINITY);
                } else if (dateTime.equals(OffsetDateTime.MIN)) {
                    gen.writeString(MINUS_INFINITY);
                } else {
                    IsoText.writeDateTime(dateTime, gen);
                }
            }
            case BINARY -> gen.writeBinary((byte[]) value);
        }
    }

    private static void writePlain(BigDecimal value, JsonGenerator gen) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else {
            gen.writeNumber(value.toPlainString());
        }
    }

    /**
     * PostgreSQL's {@code NaN}, {@code Infinity} or {@code -Infinity}, which the driver cannot
     * give as a {@code BigDecimal}; any other failure is rethrown.
     */
    private static String specialNumber(ResultSet rs, int index, SQLException failure) throws SQLException {
        String text = rs.getString(index);
        if ("NaN".equals(text) || "Infinity".equals(text) || "-Infinity".equals(text)) {
            return text;
        }
        throw failure;
    }

    private static void bindTemporal(PreparedStatement ps, int index, Object value, int sqlType)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
        } else {
            ps.setObject(index, value);
        }
    }
}
