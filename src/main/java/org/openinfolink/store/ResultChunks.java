package org.openinfolink.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobStore;
import org.openinfolink.job.NamedThreadFactory;
import org.openinfolink.job.RunEndedException;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.sql.ColumnInfo;

/**
 * Result sets kept in the store as chunks of their records' JSON bytes ({@code il_result_chunk}):
 * written while the cursor is read and read back the same way by any node. A set becomes visible
 * ({@code il_job_result}) only once complete.
 *
 * <p>Store round trips overlap with the work around them: an output hands each group of
 * {@value #CHUNKS_PER_TRANSACTION} full chunks to an I/O thread, which inserts them in one
 * transaction, and goes on filling the next group (at most one group in flight, so two in
 * memory); an input fetches the next chunk while the caller copies the current one. A commit per
 * chunk would cost the store more than the chunks themselves: H2 writes the page of the set's
 * previous chunk to its file again at every commit (twice the bytes, and the compaction of the
 * pages it left behind), and a durable PostgreSQL or MariaDB flushes its log at each. Thread
 * safe; each output and input is used by one thread.
 */
final class ResultChunks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultChunks.class.getName());

    private static final String INSERT_CHUNK = "INSERT INTO il_result_chunk (job_seq, result_no, chunk_no, data)"
            + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_RESULT = "INSERT INTO il_job_result (job_seq, result_no, name, schema_json,"
            + " row_count, chunk_count) VALUES (?, ?, ?, ?, ?, ?)";
    /** As {@link #INSERT_CHUNK} while the job is still the run that writes it, else nothing. */
    private static final String ADD_CHUNK = "INSERT INTO il_result_chunk (job_seq, result_no, chunk_no, data)"
            + " SELECT seq, ?, ?, ?" + JdbcJobStore.STILL_THE_RUN;
    /** As {@link #INSERT_RESULT} while the job is still the run that writes it, else nothing. */
    private static final String ADD_RESULT = "INSERT INTO il_job_result (job_seq, result_no, name, schema_json,"
            + " row_count, chunk_count) SELECT seq, ?, ?, ?, ?, ?" + JdbcJobStore.STILL_THE_RUN;
    private static final String DELETE_CHUNKS = "DELETE FROM il_result_chunk WHERE job_seq = ? AND result_no = ?";
    private static final String CHUNK = "SELECT data FROM il_result_chunk WHERE job_seq = ? AND result_no = ?"
            + " AND chunk_no = ?";

    /** Chunks an output inserts per transaction: 2 MB of 256 KB chunks. */
    static final int CHUNKS_PER_TRANSACTION = 8;

    /** How long an idle I/O thread waits for more work before it ends. */
    private static final long IO_THREAD_IDLE_SECONDS = 10;

    private final StoreDatabase database;
    private final int chunkBytes;
    private final ExecutorService io;
    private final LongConsumer rowsKept;

    ResultChunks(StoreDatabase database, int chunkBytes, LongConsumer rowsKept) {
        this.database = database;
        this.chunkBytes = chunkBytes;
        this.rowsKept = rowsKept;
        // one thread per output or input that has a round trip in flight; idle ones end
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IO_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new NamedThreadFactory("infolink-result-io"));
    }

    /**
     * Ends the I/O threads once no job writes results any more; outputs and inputs still open
     * (an answer being sent during shutdown) go on without overlap, on their caller's thread.
     */
    @Override
    public void close() {
        io.shutdown();
    }

    /** Runs a round trip on an I/O thread, or on the caller's once the store is closed. */
    private <T> Future<T> submit(Callable<T> roundTrip) {
        try {
            return io.submit(roundTrip);
        } catch (RejectedExecutionException e) {
            FutureTask<T> inline = new FutureTask<>(roundTrip);
            inline.run();
            return inline;
        }
    }

    ResultOutput newResult(JobRecord run, int number, String name, List<ColumnInfo> columns) {
        return new ChunkOutput(run, number, name, ColumnInfo.schemaJson(columns));
    }

    /** Keeps a complete result set, its records given whole, on the caller's connection and transaction. */
    void writeWhole(Connection connection, long seq, JobStore.Written.Result result) throws SQLException {
        byte[] records = result.records();
        int chunkCount = Math.max(1, (records.length + chunkBytes - 1) / chunkBytes);
        try (PreparedStatement insert = database.prepare(connection, INSERT_CHUNK)) {
            for (int chunk = 0; chunk < chunkCount; chunk++) {
                int from = chunk * chunkBytes;
                insert.setLong(1, seq);
                insert.setInt(2, result.number());
                insert.setInt(3, chunk);
                insert.setBytes(4, Arrays.copyOfRange(records, from, Math.min(records.length, from + chunkBytes)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = database.prepare(connection, INSERT_RESULT)) {
            insert.setLong(1, seq);
            insert.setInt(2, result.number());
            insert.setString(3, result.name());
            insert.setString(4, ColumnInfo.schemaJson(result.columns()));
            insert.setLong(5, result.rows());
            insert.setInt(6, chunkCount);
            insert.executeUpdate();
        }
        rowsKept.accept(result.rows());
    }

    InputStream open(long seq, int number, int chunkCount) {
        return new ChunkInput(seq, number, chunkCount);
    }

    private final class ChunkOutput extends OutputStream implements ResultOutput {
        private final JobRecord run;
        private final int number;
        private final String name;
        private final String schemaJson;
        private byte[] buffer = new byte[chunkBytes];
        private int filled;
        /** Full chunks not yet handed to an I/O thread, in order. */
        private List<byte[]> group = new ArrayList<>(CHUNKS_PER_TRANSACTION);
        /** Chunks handed to an I/O thread, numbered from 0: some may be in the store. */
        private int handed;
        private boolean ended;
        /** The insert of the previous group, running on an I/O thread; null when none is. */
        private Future<?> inFlight;

        ChunkOutput(JobRecord run, int number, String name, String schemaJson) {
            this.run = run;
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
                    endChunk();
                    if (group.size() == CHUNKS_PER_TRANSACTION) {
                        writeGroup();
                    }
                }
            }
        }

        /** Adds the buffer to the group and starts a new one. */
        private void endChunk() {
            group.add(filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled));
            buffer = new byte[chunkBytes];
            filled = 0;
        }

        /** Hands the group to an I/O thread once the previous one is in, and starts a new one. */
        private void writeGroup() throws IOException {
            awaitInFlight();
            List<byte[]> data = group;
            int firstChunkNo = handed;
            inFlight = submit(() -> {
                if (!database.inTransaction(connection -> insertChunks(connection, firstChunkNo, data))) {
                    throw new RunEndedException(run);
                }
                return null;
            });
            handed += data.size();
            group = new ArrayList<>(CHUNKS_PER_TRANSACTION);
        }

        /**
         * Inserts chunks from {@code firstChunkNo} on in the connection's transaction; false, with
         * the transaction rolled back, once the job is no longer this run's.
         */
        private boolean insertChunks(Connection connection, int firstChunkNo, List<byte[]> data) throws SQLException {
            try (PreparedStatement insert = database.prepare(connection, ADD_CHUNK)) {
                for (int i = 0; i < data.size(); i++) {
                    insert.setInt(1, number);
                    insert.setInt(2, firstChunkNo + i);
                    insert.setBytes(3, data.get(i));
                    JdbcJobStore.setRun(insert, 4, run);
                    if (insert.executeUpdate() != 1) {
                        connection.rollback();
                        return false;
                    }
                }
                return true;
            }
        }

        /** Waits for the group in flight; its failure is this output's. */
        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            Future<?> pending = inFlight;
            inFlight = null;
            try {
                pending.get();
            } catch (InterruptedException e) {
                // the insert is let finish, never interrupted: an interrupt that reaches H2's file
                // I/O closes its channel, and with it the whole embedded database
                awaitUninterruptibly(pending);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the job store kept the result set");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RunEndedException) {
                    throw new RunEndedException(run);
                }
                throw new IOException("the job store cannot keep the result set", e.getCause());
            }
        }

        /** Waits for a round trip to end, whatever its outcome, keeping an interrupt for later. */
        private static void awaitUninterruptibly(Future<?> pending) {
            boolean interrupted = false;
            while (true) {
                try {
                    pending.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Keeps the last chunks and the set's row in one transaction, after the group in flight. */
        @Override
        public void complete(long rows) throws IOException {
            if (filled > 0 || handed + group.size() == 0) {
                endChunk();
            }
            awaitInFlight();
            ended = true;
            List<byte[]> last = group;
            int firstChunkNo = handed;
            int chunks = handed + last.size();
            handed = chunks;
            group = List.of();
            boolean kept;
            try {
                kept = database.inTransaction(connection -> {
                    if (!insertChunks(connection, firstChunkNo, last)) {
                        return false;
                    }
                    try (PreparedStatement insert = database.prepare(connection, ADD_RESULT)) {
                        insert.setInt(1, number);
                        insert.setString(2, name);
                        insert.setString(3, schemaJson);
                        insert.setLong(4, rows);
                        insert.setInt(5, chunks);
                        JdbcJobStore.setRun(insert, 6, run);
                        if (insert.executeUpdate() != 1) {
                            connection.rollback();
                            return false;
                        }
                        return true;
                    }
                });
            } catch (StoreUnavailableException e) {
                throw new IOException("the job store cannot keep the result set", e);
            }
            if (!kept) {
                throw new RunEndedException(run);
            }
            rowsKept.accept(rows);
        }

        @Override
        public void discard() {
            ended = true;
            try {
                awaitInFlight();
            } catch (IOException e) {
                LOG.log(Level.FINE, "The last chunks of an abandoned result set were not kept", e);
            }
            group = List.of();
            if (handed == 0) {
                return;
            }
            try {
                database.run(connection -> {
                    try (PreparedStatement delete = database.prepare(connection, DELETE_CHUNKS)) {
                        delete.setLong(1, run.seq());
                        delete.setInt(2, number);
                        return delete.executeUpdate();
                    }
                });
            } catch (StoreUnavailableException e) {
                LOG.log(Level.FINE, "Chunks of an abandoned result set stay until the job is purged", e);
            }
        }
    }

    /**
     * Reads a set's chunks in order, each with one short query, so no connection is held between
     * them; the next chunk is fetched on an I/O thread while the caller reads the current one.
     */
    private final class ChunkInput extends InputStream {
        private final long seq;
        private final int number;
        private final int chunkCount;
        private int nextChunk;
        private Future<byte[]> prefetched;
        private byte[] current = new byte[0];
        private int position;
        private boolean closed;

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

        @Override
        public void close() {
            closed = true;
            if (prefetched != null) {
                prefetched.cancel(false);
                prefetched = null;
            }
        }

        private boolean fill() throws IOException {
            while (position == current.length) {
                if (closed) {
                    throw new IOException("the result set's stream is closed");
                }
                if (nextChunk == chunkCount) {
                    return false;
                }
                int chunkNo = nextChunk;
                Future<byte[]> pending = prefetched != null ? prefetched : submit(() -> fetch(chunkNo));
                prefetched = chunkNo + 1 < chunkCount ? submit(() -> fetch(chunkNo + 1)) : null;
                nextChunk++;
                current = await(pending);
                position = 0;
            }
            return true;
        }

        private byte[] await(Future<byte[]> pending) throws IOException {
            try {
                return pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the job store");
            } catch (ExecutionException e) {
                throw new IOException("the job store cannot be read", e.getCause());
            }
        }

        private byte[] fetch(int chunkNo) {
            return database.run(connection -> {
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
        }
    }
}
