package org.openinfolink.engine;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cancellation state of one job, shared by the thread running it and the threads that stop
 * it. Cancelling records the first reason and calls {@link Statement#cancel()} on every statement
 * the job is running, so a long query ends within the database's reaction time. Thread safe.
 */
public final class Cancellation {

    private static final Logger LOG = Logger.getLogger(Cancellation.class.getName());

    private final List<Statement> running = new ArrayList<>();
    private CancelReason reason;
    private boolean cancelling;

    /**
     * Cancels the job; the first reason wins.
     *
     * @return true if this call cancelled it, false if it was cancelled already
     */
    public boolean cancel(CancelReason why) {
        List<Statement> toCancel;
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
            toCancel = List.copyOf(running);
            cancelling = true;
        }
        try {
            toCancel.forEach(Cancellation::cancelQuietly);
        } finally {
            synchronized (this) {
                cancelling = false;
                notifyAll();
            }
        }
        return true;
    }

    public synchronized CancelReason reason() {
        return reason;
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** Throws if the job was cancelled; long loops call it between rows. */
    public void throwIfCancelled() throws JobCancelledException {
        CancelReason why = reason();
        if (why != null) {
            throw new JobCancelledException(why);
        }
    }

    /**
     * Tracks a statement while it runs, so that cancelling the job cancels it. Close the returned
     * handle when the statement is done (before closing the statement).
     *
     * <p>Closing the handle waits for a cancel that is still being sent: a cancel that reached the
     * database only after the statement had ended would otherwise hit whatever the connection runs
     * next, such as another job's statement once the pool has lent it again (MariaDB cancels with
     * {@code KILL QUERY <connection>}).
     *
     * @throws JobCancelledException if the job is already cancelled
     */
    public Tracked track(Statement statement) throws JobCancelledException {
        synchronized (this) {
            if (reason != null) {
                throw new JobCancelledException(reason);
            }
            running.add(statement);
        }
        return () -> {
            synchronized (this) {
                running.remove(statement);
                boolean interrupted = false;
                while (cancelling) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** A tracked statement; closing it stops tracking. */
    @FunctionalInterface
    public interface Tracked extends AutoCloseable {
        @Override
        void close();
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "Cancelling a statement failed", e);
        }
    }
}
