package org.openinfolink.engine;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.openinfolink.scenario.ParameterDefinition;
import org.openinfolink.scenario.ParameterType;
import org.openinfolink.sql.TextTemplate;

/**
 * The values {@code ${name}} resolves to in one scenario run: a scenario parameter, else an app
 * variable, else a built-in ({@code jobId}, {@code appId}, {@code scenario}, {@code now}).
 * Parameters keep their declared type for SQL binding; variables and built-ins are text.
 */
final class TemplateValues {

    private final JobExecution job;
    private final AppVariables variables;
    private final Map<String, ParameterDefinition> declarations;
    private final Map<String, Object> parameters;
    private final String scenarioName;

    /**
     * @param declarations the running scenario's parameters (empty for a direct operation)
     * @param parameters   their values, converted; absent ones are null
     * @param scenarioName the running scenario, for the built-in {@code scenario}
     */
    TemplateValues(JobExecution job, AppVariables variables, Map<String, ParameterDefinition> declarations,
                   Map<String, Object> parameters, String scenarioName) {
        this.job = job;
        this.variables = variables;
        this.declarations = declarations;
        this.parameters = parameters;
        this.scenarioName = scenarioName;
    }

    /** The text a name stands for, or null when nothing has that name. */
    String text(String name) {
        if (declarations.containsKey(name)) {
            return ParameterType.asText(parameters.get(name));
        }
        String variable = variables.get(job.appId(), name);
        if (variable != null) {
            return variable;
        }
        return switch (name) {
            case "jobId" -> job.jobId();
            case "appId" -> job.appId();
            case "scenario" -> scenarioName == null ? "" : scenarioName;
            case "now" -> job.now();
            default -> null;
        };
    }

    /** Renders a non-SQL template; null stays null. */
    String render(String template) {
        if (template == null) {
            return null;
        }
        try {
            return TextTemplate.parse(template).render(this::text);
        } catch (IllegalArgumentException e) {
            // TextTemplate's messages are written for users ("unknown name ${x}")
            throw new StepInputException(e.getMessage());
        }
    }

    /** Binds the values of {@code names}, in order, as parameters 1..n of a statement. */
    void bind(PreparedStatement statement, List<String> names) throws SQLException {
        int index = 1;
        for (String name : names) {
            ParameterDefinition declaration = declarations.get(name);
            if (declaration != null) {
                declaration.type().bind(statement, index, parameters.get(name));
            } else {
                String value = text(name);
                if (value == null) {
                    throw new SQLException("unknown name ${" + name + "}");
                }
                statement.setString(index, value);
            }
            index++;
        }
    }
}
