package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a job's statements from another thread. The statements are stand-ins whose
 * {@code cancel()} the test controls, as a driver's cancel takes its time (MariaDB opens a
 * connection to send {@code KILL QUERY}).
 */
class CancellationTest {

    private static final long WAIT_SECONDS = 10;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch cancelEntered = new CountDownLatch(1);
    private final CountDownLatch cancelReleased = new CountDownLatch(1);

    @AfterEach
    void stop() {
        cancelReleased.countDown();
        threads.shutdownNow();
    }

    /** A statement whose {@code cancel()} blocks until the test releases it. */
    private Statement slowToCancel() {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "cancel" -> {
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    calls.add("cancel started");
                    cancelEntered.countDown();
                    assertTrue(cancelReleased.await(WAIT_SECONDS, TimeUnit.SECONDS));
                    calls.add("cancel sent");
                    return null;
                });
    }

    @Test
    void aStatementDoneWhileItsCancelIsBeingSentIsReleasedOnlyAfterTheCancel() throws Exception {
        Cancellation cancellation = new Cancellation();
        Cancellation.Tracked tracked = cancellation.track(slowToCancel());
        Future<Boolean> cancelling = threads.submit(() -> cancellation.cancel(CancelReason.STOP_REQUESTED));
        assertTrue(cancelEntered.await(WAIT_SECONDS, TimeUnit.SECONDS));

        Future<?> released = threads.submit(() -> {
            tracked.close();
            calls.add("statement released");
        });
        assertThrows(TimeoutException.class, () -> released.get(300, TimeUnit.MILLISECONDS),
                "the statement (and its connection) must not go back while the cancel is on its way");
        cancelReleased.countDown();
        released.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertTrue(cancelling.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("cancel started", "cancel sent", "statement released"), calls);
    }

    @Test
    void aStatementDoneWithoutACancelIsReleasedAtOnce() throws Exception {
        Cancellation cancellation = new Cancellation();
        Cancellation.Tracked tracked = cancellation.track(slowToCancel());

        threads.submit(tracked::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(), calls);
        assertTrue(cancellation.cancel(CancelReason.TIMED_OUT), "nothing is tracked any more: nothing to wait for");
        assertEquals(CancelReason.TIMED_OUT, cancellation.reason());
    }
}
