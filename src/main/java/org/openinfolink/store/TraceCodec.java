package org.openinfolink.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("step", step.label());
        node.put("title", step.title());
        node.put("opName", step.opName());
        node.put("outcome", step.outcome());
        node.put("startedAt", step.startedAt().toEpochMilli());
        node.put("finishedAt", step.finishedAt().toEpochMilli());
        if (step.rows() != null) {
            node.put("rows", step.rows());
        }
        ArrayNode statements = node.putArray("statements");
        for (StepTrace.StatementTrace statement : step.statements()) {
            statements.addObject().put("statement", statement.number()).put("sql", statement.sql())
                    .put("rowsChanged", statement.rowsChanged());
        }
        if (step.message() != null) {
            node.put("message", step.message());
        }
        return node.toString();
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
