package org.openinfolink.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.json.Json;

/** A finished step as the JSON text kept in {@code il_job_step}. Stateless. */
final class TraceCodec {

    private TraceCodec() {
    }

    static String write(StepTrace step) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = Json.mapper().createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("step", step.label());
            json.writeStringField("title", step.title());
            json.writeStringField("opName", step.opName());
            json.writeStringField("outcome", step.outcome());
            json.writeNumberField("startedAt", step.startedAt().toEpochMilli());
            json.writeNumberField("finishedAt", step.finishedAt().toEpochMilli());
            if (step.rows() != null) {
                json.writeNumberField("rows", step.rows());
            }
            json.writeArrayFieldStart("statements");
            for (StepTrace.StatementTrace statement : step.statements()) {
                json.writeStartObject();
                json.writeNumberField("statement", statement.number());
                json.writeStringField("sql", statement.sql());
                json.writeNumberField("rowsChanged", statement.rowsChanged());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (step.message() != null) {
                json.writeStringField("message", step.message());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("A step trace could not be written as JSON", e);
        }
        return text.toString();
    }

    static StepTrace read(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored step trace is not JSON: " + e.getOriginalMessage(), e);
        }
        List<StepTrace.StatementTrace> statements = new ArrayList<>();
        for (JsonNode statement : node.path("statements")) {
            statements.add(new StepTrace.StatementTrace(statement.get("statement").asInt(),
                    statement.get("sql").asText(), statement.get("rowsChanged").asLong()));
        }
        return new StepTrace(node.get("step").asText(), node.get("title").asText(), node.get("opName").asText(),
                node.get("outcome").asText(), Instant.ofEpochMilli(node.get("startedAt").asLong()),
                Instant.ofEpochMilli(node.get("finishedAt").asLong()),
                node.hasNonNull("rows") ? node.get("rows").asLong() : null, List.copyOf(statements),
                node.hasNonNull("message") ? node.get("message").asText() : null);
    }
}
