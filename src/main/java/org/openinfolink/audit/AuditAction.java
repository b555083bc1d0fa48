package org.openinfolink.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an audit entry records (CONTRACT section 13). Each action has a stable name, the one kept in
 * the store's {@code action} column, written in the log and used by filters: renaming a constant
 * changes nothing stored, renaming an action name does.
 */
public enum AuditAction {
    /** An {@code executeJob} call, accepted or refused. */
    EXECUTE_JOB("executeJob"),
    /** A {@code stopJob} or {@code stop.jsp} call. */
    STOP_JOB("stopJob"),
    /** A call to any endpoint whose API key or Bearer token was missing or belongs to no client. */
    AUTHENTICATION_REFUSED("authenticationRefused"),
    /** A pair of OAuth2 tokens issued by the token endpoint. */
    TOKEN_ISSUED("tokenIssued"),
    /** A request to the token endpoint refused with an RFC 6749 error. */
    TOKEN_REFUSED("tokenRefused"),
    /** A user logged in to the admin console. */
    CONSOLE_LOGIN("console.login"),
    /** A login to the admin console was refused. */
    CONSOLE_LOGIN_REFUSED("console.loginRefused"),
    /** A user logged out of the admin console. */
    CONSOLE_LOGOUT("console.logout"),
    /** A job stopped from the admin console. */
    CONSOLE_STOP_JOB("console.stopJob");

    private static final Map<String, AuditAction> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(AuditAction::actionName, Function.identity()));

    private final String actionName;

    AuditAction(String actionName) {
        this.actionName = actionName;
    }

    /** The stable name of the action, e.g. {@code executeJob} or {@code console.stopJob}. */
    public String actionName() {
        return actionName;
    }

    /** The action of a stable name (exact, case sensitive); empty for any other text, and for null. */
    public static Optional<AuditAction> byName(String actionName) {
        return Optional.ofNullable(actionName == null ? null : BY_NAME.get(actionName));
    }
}
