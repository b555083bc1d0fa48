package org.openinfolink.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polls a condition with a deadline: how tests wait for asynchronous work, instead of sleeping. */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private Poll() {
    }

    /**
     * Calls {@code probe} until its value satisfies {@code done} and returns that value.
     *
     * @throws AssertionError with the last value when {@code timeout} passes first
     */
    public static <T> T until(Duration timeout, Callable<T> probe, Predicate<T> done, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = probe.call();
            if (done.test(value)) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " not reached within " + timeout + "; last: " + value);
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
