package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.job.JobState;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.json.Json;

/** Writes jobs and their result sets as the contract's JSON (sections 2.2 and 6). Stateless. */
final class JobViews {

    private JobViews() {
    }

    /**
     * The status of a job (2.2) with its trace and, once it finished, its result sets.
     *
     * @param noResultSchema whether to leave out each result set's {@code schema}
     */
    static void writeStatus(JsonGenerator json, OutputStream out, JobRegistry jobs, JobRecord job,
                            List<StepTrace> trace, List<ResultInfo> results, boolean noResultSchema)
            throws IOException {
        writeStatusFields(json, job);
        writeTrace(json, trace);
        if (job.state().isFinished() && (!results.isEmpty() || job.state() == JobState.COMPLETED)) {
            writeResults(json, out, jobs, job, results, noResultSchema);
        }
    }

    /** The status fields of a job without trace and results, as getJobs lists them. */
    static void writeStatusFields(JsonGenerator json, JobRecord job) throws IOException {
        json.writeStringField("jobId", job.jobId());
        json.writeStringField("appId", job.appId());
        json.writeStringField("scenario", job.request().scenarioName());
        if (job.request().scenarioName() == null) {
            json.writeStringField("operation", job.request().opName());
        }
        json.writeStringField("status", job.state().statusName());
        json.writeStringField("state", job.state().stateName());
        if (job.message() != null) {
            json.writeStringField("message", job.message());
        }
        writeInstant(json, "submittedAt", job.submittedAt());
        writeInstant(json, "startedAt", job.startedAt());
        writeInstant(json, "finishedAt", job.finishedAt());
        if (job.attempt() > 0) {
            json.writeNumberField("attempt", job.attempt());
        }
        if (job.nodeId() != null && !job.state().isFinished()) {
            json.writeStringField("node", job.nodeId());
        }
        JobRecord.Progress progress = job.progress();
        if (progress != null && !job.state().isFinished()) {
            json.writeObjectFieldStart("progress");
            json.writeNumberField("step", progress.step());
            json.writeNumberField("steps", progress.steps());
            json.writeStringField("title", progress.title());
            json.writeEndObject();
        }
    }

    /** {@code "results": [...]}, each schema and record array copied from the store as it is kept. */
    static void writeResults(JsonGenerator json, OutputStream out, JobRegistry jobs, JobRecord job,
                             List<ResultInfo> results, boolean noResultSchema) throws IOException {
        json.writeArrayFieldStart("results");
        for (ResultInfo result : results) {
            json.writeStartObject();
            json.writeStringField("name", result.name());
            json.writeObjectFieldStart("result");
            if (!noResultSchema) {
                json.writeFieldName("schema");
                json.writeRawValue(result.schemaJson());
            }
            json.writeFieldName("records");
            copyRawValue(json, out, jobs, job, result);
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * Writes a result set's JSON array of records as the value of the field just named: the
     * generator writes the separator and is flushed (into the response's buffer, see
     * {@link Json#generator}), the bytes go from the store straight to the stream, and the
     * generator carries on.
     */
    private static void copyRawValue(JsonGenerator json, OutputStream out, JobRegistry jobs, JobRecord job,
                                     ResultInfo result) throws IOException {
        InputStream opened;
        try {
            opened = jobs.openRecords(job, result);
        } catch (IllegalStateException e) {
            // the job was purged (retention) while this answer was being written
            throw new ApiException(ErrorCode.JOB_NOT_FOUND, "The job's results are no longer kept.");
        }
        try (InputStream records = opened) {
            json.writeRawValue("");
            json.flush();
            records.transferTo(out);
        }
    }

    private static void writeTrace(JsonGenerator json, List<StepTrace> trace) throws IOException {
        json.writeArrayFieldStart("trace");
        for (StepTrace step : trace) {
            json.writeStartObject();
            json.writeStringField("step", step.label());
            json.writeStringField("title", step.title());
            json.writeStringField("opName", step.opName());
            json.writeStringField("outcome", step.outcome());
            writeInstant(json, "startedAt", step.startedAt());
            writeInstant(json, "finishedAt", step.finishedAt());
            if (step.rows() != null) {
                json.writeNumberField("rows", step.rows());
            }
            if (!step.statements().isEmpty()) {
                json.writeArrayFieldStart("statements");
                for (StepTrace.StatementTrace statement : step.statements()) {
                    json.writeStartObject();
                    json.writeNumberField("statement", statement.number());
                    json.writeStringField("sql", statement.sql());
                    json.writeNumberField("rowsChanged", statement.rowsChanged());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (step.message() != null) {
                json.writeStringField("message", step.message());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    static void writeInstant(JsonGenerator json, String field, Instant instant) throws IOException {
        if (instant != null) {
            json.writeStringField(field, format(instant));
        }
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
