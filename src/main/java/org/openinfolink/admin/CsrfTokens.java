package org.openinfolink.admin;

import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's CSRF tokens: one random token per session, sent with every form that POSTs and
 * compared in constant time. A session is made at login (Tomcat gives it a new id then), so a
 * token never outlives the login it belongs to.
 */
final class CsrfTokens {

    /** The form field carrying the token. */
    static final String PARAMETER = "csrf";
    private static final String ATTRIBUTE = "org.openinfolink.admin.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfTokens() {
    }

    /** The session's token, made on first use. */
    static String of(HttpSession session) {
        synchronized (session) {
            Object token = session.getAttribute(ATTRIBUTE);
            if (token instanceof String text) {
                return text;
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String made = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(ATTRIBUTE, made);
            return made;
        }
    }

    /** Whether {@code given} is the session's token; false without a session or a token. */
    static boolean matches(HttpSession session, String given) {
        if (session == null || given == null) {
            return false;
        }
        Object token = session.getAttribute(ATTRIBUTE);
        return token instanceof String expected && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
