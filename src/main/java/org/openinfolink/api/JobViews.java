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
import org.openinfolink.job.Job;
import org.openinfolink.result.StoredResult;
import org.openinfolink.sql.ColumnInfo;

/** Writes jobs and their result sets as the contract's JSON (sections 2.2 and 6). Stateless. */
final class JobViews {

    private JobViews() {
    }

    /**
     * The status fields of a job (2.2).
     *
     * @param withResults    whether to include {@code results} (getJobStatus) or not (getJobs)
     * @param noResultSchema whether to leave out each result set's {@code schema}
     */
    static void writeStatus(JsonGenerator json, OutputStream out, Job job, Job.Snapshot snapshot,
                            boolean withResults, boolean noResultSchema) throws IOException {
        json.writeStringField("jobId", job.id());
        json.writeStringField("appId", job.appId());
        json.writeStringField("scenario", job.request().scenarioName());
        if (job.request().scenarioName() == null) {
            json.writeStringField("operation", job.request().opName());
        }
        json.writeStringField("status", snapshot.state().statusName());
        json.writeStringField("state", snapshot.state().stateName());
        if (snapshot.message() != null) {
            json.writeStringField("message", snapshot.message());
        }
        writeInstant(json, "submittedAt", snapshot.submittedAt());
        writeInstant(json, "startedAt", snapshot.startedAt());
        writeInstant(json, "finishedAt", snapshot.finishedAt());
        if (snapshot.progress() != null) {
            json.writeObjectFieldStart("progress");
            json.writeNumberField("step", snapshot.progress().step());
            json.writeNumberField("steps", snapshot.progress().steps());
            json.writeStringField("title", snapshot.progress().title());
            json.writeEndObject();
        }
        if (withResults) {
            writeTrace(json, snapshot.trace());
            boolean hasResults = !snapshot.results().isEmpty();
            if (snapshot.state().isFinished() && (hasResults || snapshot.state().statusName().equals("completed"))) {
                writeResults(json, out, snapshot.results(), noResultSchema);
            }
        }
    }

    /** {@code "results": [...]}, each record array copied from its spool as it is. */
    static void writeResults(JsonGenerator json, OutputStream out, List<StoredResult> results,
                             boolean noResultSchema) throws IOException {
        json.writeArrayFieldStart("results");
        for (StoredResult result : results) {
            json.writeStartObject();
            json.writeStringField("name", result.name());
            json.writeObjectFieldStart("result");
            if (!noResultSchema) {
                json.writeArrayFieldStart("schema");
                for (ColumnInfo column : result.columns()) {
                    column.writeSchema(json);
                }
                json.writeEndArray();
            }
            json.writeFieldName("records");
            copyRawValue(json, out, result);
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * Writes the spooled JSON array as the value of the field just named: the generator writes the
     * separator and is flushed, the bytes go straight to the stream, and the generator carries on.
     */
    private static void copyRawValue(JsonGenerator json, OutputStream out, StoredResult result) throws IOException {
        InputStream opened;
        try {
            opened = result.openRecords();
        } catch (IllegalStateException e) {
            // the job was forgotten (jobs.keepFinished) while this answer was being written
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
