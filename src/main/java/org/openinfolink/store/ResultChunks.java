package org.openinfolink.store;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.json.Json;
import org.openinfolink.sql.ColumnInfo;

/**
 * Result sets kept in the store as chunks of their records' JSON bytes ({@code il_result_chunk}):
 * written while the cursor is read, one chunk in memory at a time, and read back the same way by
 * any node. A set becomes visible ({@code il_job_result}) only once complete. Thread safe; each
 * output and input is used by one thread.
 */
final class ResultChunks {

    private static final Logger LOG = Logger.getLogger(ResultChunks.class.getName());

    private static final String INSERT_CHUNK = "INSERT INTO il_result_chunk (job_seq, result_no, chunk_no, data)"
            + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_RESULT = "INSERT INTO il_job_result (job_seq, result_no, name, schema_json,"
            + " row_count, chunk_count) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String DELETE_CHUNKS = "DELETE FROM il_result_chunk WHERE job_seq = ? AND result_no = ?";
    private static final String CHUNK = "SELECT data FROM il_result_chunk WHERE job_seq = ? AND result_no = ?"
            + " AND chunk_no = ?";

    private final StoreDatabase database;
    private final int chunkBytes;

    ResultChunks(StoreDatabase database, int chunkBytes) {
        this.database = database;
        this.chunkBytes = chunkBytes;
    }

    ResultOutput newResult(long seq, int number, String name, List<ColumnInfo> columns) {
        return new ChunkOutput(seq, number, name, schemaJson(columns));
    }

    InputStream open(long seq, int number, int chunkCount) {
        return new ChunkInput(seq, number, chunkCount);
    }

    private static String schemaJson(List<ColumnInfo> columns) {
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

    private final class ChunkOutput extends OutputStream implements ResultOutput {
        private final long seq;
        private final int number;
        private final String name;
        private final String schemaJson;
        private final byte[] buffer = new byte[chunkBytes];
        private int filled;
        private int chunks;
        private boolean ended;

        ChunkOutput(long seq, int number, String name, String schemaJson) {
            this.seq = seq;
            this.number = number;
            this.name = name;
            this.schemaJson = schemaJson;
        }

        @Override
        public OutputStream records() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (ended) {
                throw new IOException("The result set is already complete");
            }
            while (count > 0) {
                int n = Math.min(count, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                count -= n;
                if (filled == buffer.length) {
                    writeChunk();
                }
            }
        }

        private void writeChunk() throws IOException {
            byte[] data = Arrays.copyOf(buffer, filled);
            int chunkNo = chunks;
            try {
                database.run(connection -> {
                    try (PreparedStatement insert = database.prepare(connection, INSERT_CHUNK)) {
                        insert.setLong(1, seq);
                        insert.setInt(2, number);
                        insert.setInt(3, chunkNo);
                        insert.setBytes(4, data);
                        return insert.executeUpdate();
                    }
                });
            } catch (StoreUnavailableException e) {
                throw new IOException("the job store cannot keep the result set", e);
            }
            chunks++;
            filled = 0;
        }

        @Override
        public void complete(long rows) throws IOException {
            if (filled > 0 || chunks == 0) {
                writeChunk();
            }
            ended = true;
            try {
                database.run(connection -> {
                    try (PreparedStatement insert = database.prepare(connection, INSERT_RESULT)) {
                        insert.setLong(1, seq);
                        insert.setInt(2, number);
                        insert.setString(3, name);
                        insert.setString(4, schemaJson);
                        insert.setLong(5, rows);
                        insert.setInt(6, chunks);
                        return insert.executeUpdate();
                    }
                });
            } catch (StoreUnavailableException e) {
                throw new IOException("the job store cannot keep the result set", e);
            }
        }

        @Override
        public void discard() {
            ended = true;
            if (chunks == 0) {
                return;
            }
            try {
                database.run(connection -> {
                    try (PreparedStatement delete = database.prepare(connection, DELETE_CHUNKS)) {
                        delete.setLong(1, seq);
                        delete.setInt(2, number);
                        return delete.executeUpdate();
                    }
                });
            } catch (StoreUnavailableException e) {
                LOG.log(Level.FINE, "Chunks of an abandoned result set stay until the job is purged", e);
            }
        }
    }

    /** Reads a set's chunks in order, each with one short query, so no connection is held between them. */
    private final class ChunkInput extends InputStream {
        private final long seq;
        private final int number;
        private final int chunkCount;
        private int nextChunk;
        private byte[] current = new byte[0];
        private int position;

        ChunkInput(long seq, int number, int chunkCount) {
            this.seq = seq;
            this.number = number;
            this.chunkCount = chunkCount;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            long total = 0;
            while (fill()) {
                int n = current.length - position;
                out.write(current, position, n);
                position += n;
                total += n;
            }
            return total;
        }

        private boolean fill() throws IOException {
            while (position == current.length) {
                if (nextChunk == chunkCount) {
                    return false;
                }
                int chunkNo = nextChunk++;
                try {
                    current = database.run(connection -> {
                        try (PreparedStatement select = database.prepare(connection, CHUNK)) {
                            select.setLong(1, seq);
                            select.setInt(2, number);
                            select.setInt(3, chunkNo);
                            try (ResultSet rs = select.executeQuery()) {
                                if (!rs.next()) {
                                    throw new SQLException("chunk " + chunkNo + " of result set " + number
                                            + " of job " + seq + " is missing", "02000");
                                }
                                return rs.getBytes(1);
                            }
                        }
                    });
                } catch (StoreUnavailableException e) {
                    throw new IOException("the job store cannot be read", e);
                }
                position = 0;
            }
            return true;
        }
    }
}
