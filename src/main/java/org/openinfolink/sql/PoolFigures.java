package org.openinfolink.sql;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.commons.dbcp2.DataSourceMXBean;
import org.apache.commons.pool2.impl.GenericObjectPool;

/**
 * The figures of one connection pool at this moment, for /metrics and the admin console: how many
 * connections are lent out, idle, at most allowed, and how many callers wait for one. Each call
 * reads the pool live and cheaply; a figure the pool does not tell is -1. Thread safe.
 */
public interface PoolFigures {

    /** The pool's name as shown: {@code embedded}, {@code store}, {@code jdbc/infolink}, {@code <appId>/<source>}. */
    String name();

    int active();

    int idle();

    int max();

    /** Callers waiting for a connection now; -1 when the pool does not tell. */
    int waiting();

    /** One of our own DBCP2 pools: every figure, the waiting callers from its commons-pool2 pool. */
    static PoolFigures of(String name, BasicDataSource pool) {
        return new PoolFigures() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int active() {
                return pool.getNumActive();
            }

            @Override
            public int idle() {
                return pool.getNumIdle();
            }

            @Override
            public int max() {
                return pool.getMaxTotal();
            }

            @Override
            public int waiting() {
                GenericObjectPool<?> connections = pool.getConnectionPool();
                return connections == null ? 0 : connections.getNumWaiters();
            }
        };
    }

    /**
     * The figures of a DataSource someone else made, such as a container {@code <Resource>}: read
     * through DBCP2's {@link DataSourceMXBean} interface when the pool implements it (the
     * {@code org.apache.commons.dbcp2.BasicDataSourceFactory} of {@code tomcat-conf/infolink.xml}),
     * else through the MBean Tomcat registers for a DataSource resource
     * ({@code type=DataSource,name="jdbc/..."}, e.g. Tomcat's own repackaged DBCP). Never by the
     * pool's class name.
     *
     * @param jndiName the resource's name under {@code java:comp/env/}, e.g. {@code jdbc/infolink}
     * @return empty when the pool tells nothing
     */
    static Optional<PoolFigures> ofForeign(String jndiName, DataSource dataSource) {
        if (dataSource instanceof DataSourceMXBean bean) {
            return Optional.of(new PoolFigures() {
                @Override
                public String name() {
                    return jndiName;
                }

                @Override
                public int active() {
                    return bean.getNumActive();
                }

                @Override
                public int idle() {
                    return bean.getNumIdle();
                }

                @Override
                public int max() {
                    return bean.getMaxTotal();
                }

                @Override
                public int waiting() {
                    return -1;
                }
            });
        }
        return JmxPool.find(ManagementFactory.getPlatformMBeanServer(), jndiName);
    }

    /** A pool read through the MBean a container registered for it. */
    final class JmxPool implements PoolFigures {

        private final MBeanServer server;
        private final ObjectName bean;
        private final String name;

        private JmxPool(MBeanServer server, ObjectName bean, String name) {
            this.server = server;
            this.bean = bean;
            this.name = name;
        }

        /** The DataSource MBean of that JNDI name, when exactly one is registered and it tells numActive. */
        static Optional<PoolFigures> find(MBeanServer server, String jndiName) {
            try {
                Set<ObjectName> found = server.queryNames(new ObjectName("*:type=DataSource,name="
                        + ObjectName.quote(jndiName) + ",*"), null);
                if (found.size() != 1) {
                    return Optional.empty();
                }
                JmxPool pool = new JmxPool(server, found.iterator().next(), jndiName);
                return pool.figure("numActive") < 0 ? Optional.empty() : Optional.of(pool);
            } catch (JMException e) {
                return Optional.empty();
            }
        }

        /**
         * An attribute as Tomcat's introspected MBeans name it ({@code numActive}), or as a standard
         * MBean does ({@code NumActive}); -1 when the bean has neither.
         */
        private int figure(String attribute) {
            String standard = Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
            try {
                AttributeList values = server.getAttributes(bean, new String[] {attribute, standard});
                for (Attribute value : values.asList()) {
                    if (value.getValue() instanceof Number number) {
                        return number.intValue();
                    }
                }
            } catch (JMException e) {
                return -1;
            }
            return -1;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int active() {
            return figure("numActive");
        }

        @Override
        public int idle() {
            return figure("numIdle");
        }

        @Override
        public int max() {
            return figure("maxTotal");
        }

        @Override
        public int waiting() {
            return figure("numWaiters");
        }
    }
}
