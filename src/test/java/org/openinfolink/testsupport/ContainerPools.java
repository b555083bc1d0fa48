package org.openinfolink.testsupport;

import org.apache.catalina.Context;
import org.apache.catalina.core.StandardContext;
import org.apache.tomcat.util.descriptor.web.ContextResource;

/**
 * Container DataSources for embedded Tomcat, as a {@code <Resource>} of a context file declares
 * them: a pool the web application finds in JNDI and did not make itself.
 */
public final class ContainerPools {

    private ContainerPools() {
    }

    /**
     * Adds {@code jdbc/infolink}: a DBCP2 pool ({@code BasicDataSourceFactory}) of an H2 database.
     *
     * @param url      the H2 URL, e.g. an in-memory database kept open
     * @param maxTotal the pool's size
     */
    public static void addH2Infolink(Context context, String url, int maxTotal) {
        ContextResource resource = new ContextResource();
        resource.setName("jdbc/infolink");
        resource.setType("javax.sql.DataSource");
        resource.setAuth("Container");
        resource.setProperty("factory", "org.apache.commons.dbcp2.BasicDataSourceFactory");
        resource.setProperty("driverClassName", "org.h2.Driver");
        resource.setProperty("url", url);
        resource.setProperty("username", "sa");
        resource.setProperty("password", "");
        resource.setProperty("maxTotal", Integer.toString(maxTotal));
        resource.setProperty("maxWaitMillis", "5000");
        ((StandardContext) context).getNamingResources().addResource(resource);
    }
}
