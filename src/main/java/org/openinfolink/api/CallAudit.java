package org.openinfolink.api;

import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.audit.AuditTrail;
import org.openinfolink.auth.Client;

/**
 * What one call of the job API tells the audit trail (CONTRACT section 13), gathered while the call
 * runs and recorded once: {@code executeJob} and {@code stopJob} calls always, any call whose
 * authentication is refused as {@link AuditAction#AUTHENTICATION_REFUSED} instead of its own
 * action, and no other call. Holds names and ids only, never a key or token.
 *
 * <p>Not thread safe: one per call, used on the request's thread.
 */
final class CallAudit {

    /** The outcome of an audited call that ended without an answer (the client hung up). */
    static final String NO_ANSWER = "NO_ANSWER";

    private final AuditTrail trail;
    private final String endpoint;
    private final AuditAction action;
    private final String remoteAddress;
    private ApiRequest request;
    private String who;
    private String appId;
    private String jobId;
    private String detail;
    private boolean authenticationRefused;
    private boolean recorded;

    /**
     * @param trail         where the entry goes; null when there is no server (nothing is recorded)
     * @param endpoint      the endpoint's name, e.g. {@code getJobStatus}
     * @param action        the call's action, or null for an endpoint audited only when its
     *                      authentication is refused
     * @param remoteAddress the caller's address ({@code getRemoteAddr()})
     */
    CallAudit(AuditTrail trail, String endpoint, AuditAction action, String remoteAddress) {
        this.trail = trail;
        this.endpoint = endpoint;
        this.action = action;
        this.remoteAddress = remoteAddress;
    }

    /** The call's request, once read: the app and job it names are recorded when none was set. */
    void request(ApiRequest request) {
        this.request = request;
    }

    /** The authenticated client. */
    void caller(Client client) {
        this.who = client.name();
    }

    void app(String appId) {
        this.appId = appId;
    }

    void job(String jobId) {
        this.jobId = jobId;
    }

    void detail(String detail) {
        this.detail = detail;
    }

    /** The call's API key or token was missing or belongs to no client. */
    void authenticationRefused() {
        this.authenticationRefused = true;
    }

    /**
     * Records the call now with an outcome, e.g. {@code OK} as soon as a job is accepted, before a
     * synchronous call waits for it: the entry does not wait for the answer. Later calls of this
     * method and of {@link #finish} record nothing more.
     */
    void record(String outcome) {
        if (recorded || trail == null) {
            return;
        }
        AuditAction recordedAction = authenticationRefused ? AuditAction.AUTHENTICATION_REFUSED : action;
        if (recordedAction == null) {
            return;
        }
        recorded = true;
        trail.record(new AuditEntry(recordedAction, authenticationRefused ? null : who, remoteAddress,
                appId != null ? appId : requested("appId", true), jobId != null ? jobId : requested("jobId", false),
                outcome, authenticationRefused ? endpoint : detail));
    }

    /**
     * Records the call as it ended, unless it was recorded already.
     *
     * @param answeredCode the error code answered, or {@code none} for success or no answer
     */
    void finish(String answeredCode) {
        record(answeredCode.equals("none") ? NO_ANSWER : answeredCode);
    }

    /** A field of the request as the client sent it, or null when absent, of the wrong type or unread. */
    private String requested(String field, boolean numberAllowed) {
        if (request == null) {
            return null;
        }
        try {
            return request.text(field, numberAllowed);
        } catch (ApiException e) {
            return null;
        }
    }
}
