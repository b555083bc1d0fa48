package org.openinfolink.audit;

import java.util.Objects;

/**
 * One thing that happened, as the audit trail records it (CONTRACT section 13). Never holds a
 * secret: callers give names (a client's, a user's), never a key, token, client secret or password.
 * Immutable. The values are made fit for the store here, so that the log line and the stored row
 * always say the same: cut to the widths of the store's columns, and every control character
 * (which PostgreSQL refuses in text, as NUL, or which would break a log line) replaced by U+FFFD.
 *
 * @param action        what happened
 * @param who           the client name or user name; {@value #UNKNOWN} when unknown (null and blank
 *                      become that), at most {@value #MAX_WHO} characters
 * @param remoteAddress the caller's address as the container reports it
 *                      ({@code ServletRequest.getRemoteAddr()}); {@value #UNKNOWN} when unknown, at
 *                      most {@value #MAX_REMOTE_ADDRESS} characters
 * @param appId         the app concerned, or null; at most {@value #MAX_ID} characters
 * @param jobId         the job concerned, or null; at most {@value #MAX_ID} characters
 * @param outcome       {@value #OK}, an API error code name ({@code INVALID_API_KEY}), an RFC 6749
 *                      error ({@code invalid_client}) or a stop outcome; at most
 *                      {@value #MAX_OUTCOME} characters
 * @param detail        a short human reason or context, or null; at most {@value #MAX_DETAIL}
 *                      characters
 */
public record AuditEntry(AuditAction action, String who, String remoteAddress, String appId, String jobId,
                         String outcome, String detail) {

    /** The outcome of what succeeded. */
    public static final String OK = "OK";
    /** Who or where, when nobody knows. */
    public static final String UNKNOWN = "-";

    public static final int MAX_WHO = 200;
    public static final int MAX_REMOTE_ADDRESS = 64;
    public static final int MAX_ID = 128;
    public static final int MAX_OUTCOME = 64;
    public static final int MAX_DETAIL = 1000;

    /**
     * @throws NullPointerException when {@code action} or {@code outcome} is null
     */
    public AuditEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        who = orUnknown(cut(who, MAX_WHO));
        remoteAddress = orUnknown(cut(remoteAddress, MAX_REMOTE_ADDRESS));
        appId = cut(appId, MAX_ID);
        jobId = cut(jobId, MAX_ID);
        outcome = cut(outcome, MAX_OUTCOME);
        detail = cut(detail, MAX_DETAIL);
    }

    /**
     * Null for null and empty; else at most {@code max} characters, never half a surrogate pair,
     * control characters replaced.
     */
    private static String cut(String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String cut = value;
        if (value.length() > max) {
            cut = value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max);
        }
        if (cut.chars().noneMatch(Character::isISOControl)) {
            return cut;
        }
        StringBuilder replaced = new StringBuilder(cut.length());
        cut.chars().forEach(c -> replaced.append(Character.isISOControl(c) ? '\uFFFD' : (char) c));
        return replaced.toString();
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
