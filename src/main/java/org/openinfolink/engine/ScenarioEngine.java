package org.openinfolink.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.Operation;
import org.openinfolink.scenario.Scenario;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.scenario.Step;
import org.openinfolink.sql.SqlSyntaxException;

/**
 * Runs scenarios and direct operations of a job, step by step, on the job's thread. Stateless
 * between jobs and thread safe: every job brings its own {@link JobExecution}.
 *
 * <p>A failing step ends the run with a {@link StepFailedException} whose message names the step;
 * a cancelled job ends it with a {@link JobCancelledException}. Result sets finished before either
 * stay with the job.
 */
public final class ScenarioEngine {

    private static final Logger LOG = Logger.getLogger(ScenarioEngine.class.getName());

    private final SqlSteps sql;
    private final AppVariables variables;
    private final Clock clock;

    public ScenarioEngine(SqlSteps sql, AppVariables variables, Clock clock) {
        this.sql = sql;
        this.variables = variables;
        this.clock = clock;
    }

    /** Runs a scenario with converted parameter values (see {@link ScenarioParameters}). */
    public void runScenario(App app, Scenario scenario, Map<String, Object> parameters, JobExecution job)
            throws StepFailedException, JobCancelledException {
        runSteps(app, scenario, parameters, job, "");
    }

    /** Runs one operation of a direct request as a one-step job. */
    public void runOperation(App app, Operation operation, JobExecution job)
            throws StepFailedException, JobCancelledException {
        Step step = new Step(1, operation.defaultTitle(), operation);
        TemplateValues values = new TemplateValues(job, variables, Map.of(), Map.of(), null);
        job.listener().stepStarted(1, 1, step.title());
        runStep(app, step, values, job, "");
    }

    private void runSteps(App app, Scenario scenario, Map<String, Object> parameters, JobExecution job,
                          String labelPrefix) throws StepFailedException, JobCancelledException {
        TemplateValues values = new TemplateValues(job, variables, scenario.parameters(), parameters,
                scenario.name());
        List<Step> steps = scenario.steps();
        for (Step step : steps) {
            job.cancellation().throwIfCancelled();
            if (labelPrefix.isEmpty()) {
                job.listener().stepStarted(step.number(), steps.size(), step.title());
            }
            runStep(app, step, values, job, labelPrefix);
        }
    }

    private void runStep(App app, Step step, TemplateValues values, JobExecution job, String labelPrefix)
            throws StepFailedException, JobCancelledException {
        String label = labelPrefix + step.number();
        String opName = step.operation().type().opName();
        Instant started = clock.instant();
        SqlSteps.Outcome outcome = SqlSteps.Outcome.NONE;
        try {
            Operation operation = step.operation();
            if (operation instanceof Operation.Transform transform) {
                outcome = sql.transform(app, transform, values, job);
            } else if (operation instanceof Operation.RunSourceScript script) {
                outcome = sql.runScript(app, script, values, job);
            } else if (operation instanceof Operation.SetVariable set) {
                variables.set(app.id(), set.name(), values.render(set.value()));
            } else if (operation instanceof Operation.RunScenario nested) {
                runNested(app, nested, values, job, label + ".");
            }
        } catch (JobCancelledException e) {
            trace(job, label, step, "stopped", started, outcome, null);
            throw e;
        } catch (StepFailedException e) {
            trace(job, label, step, "failed", started, outcome, e.getMessage());
            throw new StepFailedException(failure(label, step, e.getMessage()), e);
        } catch (Exception e) {
            if (job.cancellation().isCancelled()) {
                trace(job, label, step, "stopped", started, outcome, null);
                throw new JobCancelledException(job.cancellation().reason());
            }
            String reason = describe(e, job);
            trace(job, label, step, "failed", started, outcome, reason);
            throw new StepFailedException(failure(label, step, reason), e);
        }
        trace(job, label, step, "completed", started, outcome, null);
    }

    private void runNested(App app, Operation.RunScenario nested, TemplateValues values, JobExecution job,
                           String labelPrefix) throws StepFailedException, JobCancelledException {
        ScenarioEntry entry = app.scenario(nested.scenario()).orElseThrow(() ->
                new StepInputException("scenario '" + nested.scenario() + "' not found"));
        if (!entry.isValid()) {
            throw new StepInputException("scenario '" + nested.scenario() + "' is invalid: "
                    + entry.invalidReason());
        }
        Map<String, JsonNode> given = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> parameter : nested.parameters().entrySet()) {
            JsonNode value = parameter.getValue();
            given.put(parameter.getKey(), value.isTextual() ? TextNode.valueOf(values.render(value.asText())) : value);
        }
        Map<String, Object> converted = new HashMap<>(ScenarioParameters.convert(entry.scenario(), given));
        runSteps(app, entry.scenario(), converted, job, labelPrefix);
    }

    private void trace(JobExecution job, String label, Step step, String outcome, Instant started,
                       SqlSteps.Outcome result, String message) {
        job.listener().stepFinished(new StepTrace(label, step.title(), step.operation().type().opName(), outcome,
                started, clock.instant(), result.rows(), result.statements(), message));
    }

    private static String failure(String label, Step step, String reason) {
        return "Step " + label + " (" + step.title() + ") failed: " + reason;
    }

    private static String describe(Exception e, JobExecution job) {
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            return sql.getMessage() + (state == null ? "" : " (SQLState " + state + ")");
        }
        if (e instanceof StepInputException || e instanceof RequestRejectedException
                || e instanceof SqlSyntaxException) {
            return e.getMessage();
        }
        String reference = InternalErrors.log(LOG, "Job " + job.jobId() + " of app " + job.appId(), e);
        return InternalErrors.message(reference);
    }

    /** Ends the engine's own threads once no job runs. */
    public void close() {
        sql.close();
    }
}
