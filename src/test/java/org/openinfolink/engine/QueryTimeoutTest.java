package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SqlSteps#applyTimeout} on a real H2 session: a statement gets the timeout it needs, and no
 * {@code SET QUERY_TIMEOUT} runs for one whose session has that timeout already (each such SET
 * makes every session of the database parse its statements again).
 */
class QueryTimeoutTest {

    @Test
    void aStatementIsGivenTheTimeoutOnlyWhenItsSessionHasAnother() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:query_timeout")) {
            AtomicInteger sets = new AtomicInteger();

            try (Statement first = counting(connection.createStatement(), sets)) {
                SqlSteps.applyTimeout(first, 60);
            }
            try (Statement second = counting(connection.createStatement(), sets)) {
                SqlSteps.applyTimeout(second, 60);
                assertEquals(60, second.getQueryTimeout(), "it has its session's timeout");
            }
            assertEquals(1, sets.get(), "the second statement's session had 60 s already");

            try (Statement third = counting(connection.createStatement(), sets)) {
                SqlSteps.applyTimeout(third, 1);
                assertEquals(1, third.getQueryTimeout());
            }
            assertEquals(2, sets.get(), "a different timeout is set");
        }
    }

    /** The statement, counting its {@code setQueryTimeout} calls. */
    private static Statement counting(Statement statement, AtomicInteger sets) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setQueryTimeout")) {
                        sets.incrementAndGet();
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
