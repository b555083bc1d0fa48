package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.apache.commons.dbcp2.BasicDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.openinfolink.job.NamedThreadFactory;
import org.openinfolink.testsupport.Poll;

/** The figures of our own pools, of a pool behind DBCP2's MXBean interface, and of a pool seen only through JMX. */
class PoolFiguresTest {

    @Test
    void anOwnPoolTellsActiveIdleMaxAndWaitingCallers() throws Exception {
        try (BasicDataSource pool = PoolFactory.create("jdbc:h2:mem:figures_own;DB_CLOSE_DELAY=-1", "sa", "", null,
                Map.of("maxTotal", "1", "maxWaitMillis", "10000"))) {
            PoolFigures figures = PoolFigures.of("own", pool);
            assertEquals("own", figures.name());
            assertEquals(0, figures.waiting(), "no pool yet, nobody waits");
            assertEquals(1, figures.max());
            ExecutorService waiter = Executors.newSingleThreadExecutor(new NamedThreadFactory("figures-test"));
            try (Connection held = pool.getConnection()) {
                assertEquals(1, figures.active());
                assertEquals(0, figures.idle());
                CountDownLatch asking = new CountDownLatch(1);
                Future<?> second = waiter.submit(() -> {
                    asking.countDown();
                    try (Connection connection = pool.getConnection()) {
                        return connection.isValid(1);
                    }
                });
                asking.await();
                Poll.until(Duration.ofSeconds(5), figures::waiting, waiting -> waiting == 1,
                        "one caller waiting");
                held.close();
                second.get(10, TimeUnit.SECONDS);
            } finally {
                waiter.shutdownNow();
            }
            assertEquals(0, figures.active());
            assertEquals(1, figures.idle());
            assertEquals(0, figures.waiting());
        }
    }

    @Test
    void aForeignDbcpPoolIsReadThroughItsMxBeanInterface() throws Exception {
        try (BasicDataSource container = new BasicDataSource()) {
            container.setUrl("jdbc:h2:mem:figures_foreign;DB_CLOSE_DELAY=-1");
            container.setMaxTotal(3);
            PoolFigures figures = PoolFigures.ofForeign("jdbc/foreign", container).orElseThrow();
            try (Connection connection = container.getConnection()) {
                assertEquals(1, figures.active());
                assertEquals(3, figures.max());
            }
            assertEquals(1, figures.idle());
            assertEquals(-1, figures.waiting(), "the interface does not tell");
        }
    }

    /** What a container's DataSource MBean offers. */
    public interface FakePoolMBean {
        int getNumActive();

        int getNumIdle();

        int getMaxTotal();
    }

    @Test
    void aPoolOfAnotherKindIsReadThroughTheMBeanTheContainerRegistered() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("FiguresTest:type=DataSource,context=/infolink,name=\"jdbc/jmx\"");
        FakePoolMBean bean = new FakePoolMBean() {
            @Override
            public int getNumActive() {
                return 2;
            }

            @Override
            public int getNumIdle() {
                return 3;
            }

            @Override
            public int getMaxTotal() {
                return 9;
            }
        };
        server.registerMBean(new StandardMBean(bean, FakePoolMBean.class), name);
        try {
            PoolFigures figures = PoolFigures.ofForeign("jdbc/jmx", new JdbcDataSource()).orElseThrow();
            assertEquals("jdbc/jmx", figures.name());
            assertEquals(2, figures.active());
            assertEquals(3, figures.idle());
            assertEquals(9, figures.max());
            assertEquals(-1, figures.waiting());
            assertFalse(PoolFigures.ofForeign("jdbc/none", new JdbcDataSource()).isPresent(), "no such MBean");
        } finally {
            server.unregisterMBean(name);
        }
        assertTrue(PoolFigures.ofForeign("jdbc/jmx", new JdbcDataSource()).isEmpty(), "gone with its MBean");
    }
}
