package org.openinfolink.errors;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way an unexpected failure is reported: logged at SEVERE, with its stack trace, as
 * {@code Internal error (reference 7f3a9c): <what>}, and told to the client, a job's message or a
 * trace only as {@link #message(String)}, never with the failure's own text. Stateless and thread
 * safe.
 */
public final class InternalErrors {

    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalErrors() {
    }

    /**
     * Logs {@code failure} under a new reference and returns the reference.
     *
     * @param what    what failed, for the log: {@code Request /infolink/api/v1/x.jsp}; never a secret
     * @param failure the failure, logged with its stack trace; null when there is none to log
     */
    public static String log(Logger log, String what, Throwable failure) {
        String reference = newReference();
        log.log(Level.SEVERE, "Internal error (reference " + reference + "): " + what, failure);
        return reference;
    }

    /** {@code Internal error (reference 7f3a9c).}: all a client learns of an unexpected failure. */
    public static String message(String reference) {
        return "Internal error (reference " + reference + ").";
    }

    /** Six hex digits, as in the contract's example. */
    public static String newReference() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
