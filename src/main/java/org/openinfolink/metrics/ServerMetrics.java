package org.openinfolink.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;
import org.openinfolink.job.JobEvents;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.sql.PoolFigures;

/**
 * The server's metrics (CONTRACT section 12.3), kept in one Micrometer {@link PrometheusMeterRegistry}
 * and written in the Prometheus text format by {@code /metrics}:
 * <ul>
 * <li>jobs submitted, finished by status, and their durations, by app and scenario: from the
 *     {@link #jobEvents()} subscriber only;</li>
 * <li>jobs queued (the store's count, read at most every {@value #QUEUED_CACHE_SECONDS} s) and
 *     running on this node;</li>
 * <li>API requests by endpoint and error code ({@link #apiRequest}, called once per request by the
 *     API layer);</li>
 * <li>every pool's active, idle, maximum and waiting connections ({@link PoolFigures});</li>
 * <li>result rows streamed ({@link #rowsStreamed()}, called once per finished result set);</li>
 * <li>JVM memory, threads and garbage collection.</li>
 * </ul>
 * Thread safe. {@link #close()} releases the GC listeners and is idempotent.
 */
public final class ServerMetrics implements AutoCloseable {

    /** How long the queued count of the store is reused between scrapes. */
    static final long QUEUED_CACHE_SECONDS = 5;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobMetrics jobEvents = new JobMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter rows;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        rows = Counter.builder("infolink.result.rows")
                .description("Rows streamed from a cursor into the result sets of jobs run on this node")
                .register(registry);
    }

    /** The one job events subscriber that feeds the job counters and durations. */
    public JobEvents jobEvents() {
        return jobEvents;
    }

    /** Counts the rows of one result set as it is kept; cheap enough for every set. */
    public LongConsumer rowsStreamed() {
        return rows::increment;
    }

    /** Adds the gauges of the jobs queued in the store and running on this node. */
    public void watch(JobRegistry jobs) {
        Gauge.builder("infolink.jobs.queued", new QueuedCount(jobs), QueuedCount::get)
                .description("Jobs waiting in the job store for any node (read at most every "
                        + QUEUED_CACHE_SECONDS + " s)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("infolink.jobs.running", jobs, JobRegistry::runningCount)
                .description("Jobs running on this node")
                .strongReference(true)
                .register(registry);
    }

    /** Adds the gauges of these pools; a figure a pool does not tell gets no gauge. */
    public void watch(List<PoolFigures> pools) {
        for (PoolFigures pool : pools) {
            poolGauge("infolink.pool.connections.active", "Connections lent out", pool, PoolFigures::active);
            poolGauge("infolink.pool.connections.idle", "Connections idle in the pool", pool, PoolFigures::idle);
            poolGauge("infolink.pool.connections.max", "Most connections the pool opens", pool, PoolFigures::max);
            poolGauge("infolink.pool.connections.waiting", "Callers waiting for a connection", pool,
                    PoolFigures::waiting);
        }
    }

    private void poolGauge(String name, String description, PoolFigures pool, ToDoubleFunction<PoolFigures> figure) {
        if (figure.applyAsDouble(pool) < 0) {
            return;
        }
        Gauge.builder(name, pool, figure).description(description).tag("pool", pool.name()).strongReference(true)
                .register(registry);
    }

    /**
     * Counts one API request.
     *
     * @param endpoint e.g. {@code executeJob}, {@code oauth2/token}
     * @param code     the error code answered, or {@code none} for a success
     */
    public void apiRequest(String endpoint, String code) {
        Counter.builder("infolink.api.requests")
                .description("API requests answered, by endpoint and error code (none: success)")
                .tags("endpoint", endpoint, "code", code)
                .register(registry).increment();
    }

    /** Every metric in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
    }

    /** The store's queued count, asked again only when the last answer is older than the cache time. */
    private static final class QueuedCount {

        private final JobRegistry jobs;
        private long readAtNanos;
        private double value = Double.NaN;
        private boolean read;

        QueuedCount(JobRegistry jobs) {
            this.jobs = jobs;
        }

        synchronized double get() {
            long now = System.nanoTime();
            if (!read || now - readAtNanos > TimeUnit.SECONDS.toNanos(QUEUED_CACHE_SECONDS)) {
                read = true;
                readAtNanos = now;
                try {
                    value = jobs.queuedCount();
                } catch (StoreUnavailableException e) {
                    value = Double.NaN;
                }
            }
            return value;
        }
    }
}
