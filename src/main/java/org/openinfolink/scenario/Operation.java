package org.openinfolink.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One validated operation with its parameters (CONTRACT section 4.2), as a scenario step or a
 * direct request runs it. Immutable. SQL text is kept as written: it becomes a prepared statement
 * only when the database, and so the dialect, is known.
 */
public sealed interface Operation {

    OperationType type();

    /** The step title when the scenario gives none: {@code "<opName>: <what>"}. */
    String defaultTitle();

    /**
     * {@code Transform}: a query whose rows become a result set, or are written into a table.
     *
     * @param sourceName          the source queried; null for the app's default source
     * @param query               SQL returning rows; {@code ${name}} are bind parameters
     * @param returnResult        whether the rows become a result set of the job
     * @param resultName          the result set's name (a text template), or null
     * @param into                where to write the rows instead, or null
     * @param limit               the most rows read, or null for all
     * @param queryTimeoutSeconds extension: the statement's timeout, or null for the server's
     */
    record Transform(String sourceName, String query, boolean returnResult, String resultName, Into into,
                     Long limit, Integer queryTimeoutSeconds) implements Operation {
        @Override
        public OperationType type() {
            return OperationType.TRANSFORM;
        }

        @Override
        public String defaultTitle() {
            String what = into != null ? into.tableName() : resultName;
            return type().opName() + (what == null ? "" : ": " + what);
        }
    }

    /**
     * The table a {@code Transform} writes into.
     *
     * @param sourceName the source holding the table; null for the app's default source
     * @param tableName  a text template that must give a plain or schema-qualified identifier
     * @param replace    true: empty the table first; false: append
     * @param batchSize  rows per JDBC batch
     */
    record Into(String sourceName, String tableName, boolean replace, int batchSize) {
    }

    /**
     * {@code RunSourceScript}: SQL statements run in one transaction.
     *
     * @param sourceName          the source; null for the app's default source
     * @param script              one or more statements separated by {@code ;}
     * @param queryTimeoutSeconds extension: each statement's timeout, or null for the server's
     */
    record RunSourceScript(String sourceName, String script, Integer queryTimeoutSeconds) implements Operation {
        @Override
        public OperationType type() {
            return OperationType.RUN_SOURCE_SCRIPT;
        }

        @Override
        public String defaultTitle() {
            return type().opName() + (sourceName == null ? "" : ": " + sourceName);
        }
    }

    /**
     * {@code SetVariable}: sets an app variable.
     *
     * @param name  the variable
     * @param value a text template
     */
    record SetVariable(String name, String value) implements Operation {
        @Override
        public OperationType type() {
            return OperationType.SET_VARIABLE;
        }

        @Override
        public String defaultTitle() {
            return type().opName() + ": " + name;
        }
    }

    /**
     * {@code RunScenario}: another scenario of the same app, inside this job.
     *
     * @param scenario   the scenario's name
     * @param parameters its parameters: JSON scalars, strings being text templates
     */
    record RunScenario(String scenario, Map<String, JsonNode> parameters) implements Operation {
        @Override
        public OperationType type() {
            return OperationType.RUN_SCENARIO;
        }

        @Override
        public String defaultTitle() {
            return type().opName() + ": " + scenario;
        }
    }
}
