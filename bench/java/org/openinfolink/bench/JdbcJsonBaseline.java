package org.openinfolink.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The baseline: the least a server must do to turn the query's rows into JSON. A bare JDBC loop in
 * this JVM (auto-commit off, fetch size {@value #FETCH_SIZE}, forward-only cursor) writes every row
 * with Jackson's {@link JsonGenerator} through typed getters, in the shape of the server's
 * {@code records} array ({@code [{"id": 1, "name": "name-1", ...}, ...]}), to a sink that only
 * counts bytes. No HTTP, no job store, no job. Stateless.
 */
final class JdbcJsonBaseline {

    /** What one run wrote. */
    record Run(long rows, long bytes, long nanos) {
    }

    /** Rows per round trip, as the server's {@code jobs.statementFetchSize} default. */
    static final int FETCH_SIZE = 1000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final SerializedString[] NAMES = {
        new SerializedString("id"), new SerializedString("name"), new SerializedString("amount"),
        new SerializedString("ratio"), new SerializedString("flag"), new SerializedString("created")};

    private JdbcJsonBaseline() {
    }

    /** Runs the query of {@code database} once, timed from opening the connection to the last byte. */
    static Run run(BenchDatabase database) throws SQLException, IOException {
        CountingOutputStream sink = new CountingOutputStream();
        long rows = 0;
        long start = System.nanoTime();
        try (Connection connection = database.baseline().open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(database.query(),
                         ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = statement.executeQuery(); JsonGenerator json = JSON.createGenerator(sink)) {
                    json.writeStartArray();
                    while (rs.next()) {
                        writeRow(rs, json);
                        rows++;
                    }
                    json.writeEndArray();
                }
            } finally {
                connection.rollback();
            }
        }
        long nanos = System.nanoTime() - start;
        if (rows != database.rows()) {
            throw new IllegalStateException(database.label() + " baseline read " + rows + " rows, not "
                    + database.rows());
        }
        return new Run(rows, sink.bytes(), nanos);
    }

    private static void writeRow(ResultSet rs, JsonGenerator json) throws SQLException, IOException {
        json.writeStartObject();
        json.writeFieldName(NAMES[0]);
        json.writeNumber(rs.getLong(1));
        json.writeFieldName(NAMES[1]);
        json.writeString(rs.getString(2));
        json.writeFieldName(NAMES[2]);
        BigDecimal amount = rs.getBigDecimal(3);
        json.writeNumber(amount);
        json.writeFieldName(NAMES[3]);
        json.writeNumber(rs.getDouble(4));
        json.writeFieldName(NAMES[4]);
        json.writeBoolean(rs.getBoolean(5));
        json.writeFieldName(NAMES[5]);
        json.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(rs.getObject(6, LocalDateTime.class)));
        json.writeEndObject();
    }
}
