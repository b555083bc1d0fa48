package org.openinfolink.api;

import org.openinfolink.auth.AuthenticationException;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.job.JobRefusedException;
import org.openinfolink.job.StoreUnavailableException;

/** Maps the refusals of the layers below the API to the contract's error codes. Stateless. */
final class ApiErrors {

    private ApiErrors() {
    }

    /** The API refusal for an exception of the job or engine layer (or an API refusal as it is). */
    static ApiException of(RuntimeException refusal) {
        if (refusal instanceof ApiException api) {
            return api;
        }
        if (refusal instanceof JobRefusedException job) {
            ErrorCode code = switch (job.reason()) {
                case DUPLICATE_JOB_ID -> ErrorCode.DUPLICATE_JOB_ID;
                case QUEUE_FULL -> ErrorCode.SERVER_BUSY;
                case SCENARIO_BUSY -> ErrorCode.SCENARIO_BUSY;
                case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
                case NOT_FOUND -> ErrorCode.JOB_NOT_FOUND;
            };
            return new ApiException(code, job.getMessage());
        }
        if (refusal instanceof RequestRejectedException request) {
            ErrorCode code = switch (request.reason()) {
                case MISSING_FIELD -> ErrorCode.MISSING_PARAMETER;
                case INVALID_FIELD -> ErrorCode.INVALID_PARAMETER;
                case SCENARIO_NOT_FOUND -> ErrorCode.SCENARIO_NOT_FOUND;
                case SCENARIO_INVALID -> ErrorCode.SCENARIO_INVALID;
            };
            return new ApiException(code, request.getMessage());
        }
        if (refusal instanceof AuthenticationException auth) {
            ErrorCode code = switch (auth.reason()) {
                case MISSING -> ErrorCode.MISSING_PARAMETER;
                case INVALID_API_KEY -> ErrorCode.INVALID_API_KEY;
                case INVALID_TOKEN -> ErrorCode.INVALID_TOKEN;
            };
            return new ApiException(code, auth.getMessage());
        }
        if (refusal instanceof StoreUnavailableException store) {
            return new ApiException(ErrorCode.STORE_UNAVAILABLE, store.getMessage());
        }
        throw new IllegalArgumentException("not a refusal: " + refusal.getClass().getName(), refusal);
    }
}
