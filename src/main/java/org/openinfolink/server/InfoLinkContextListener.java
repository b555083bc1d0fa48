package org.openinfolink.server;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.File;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.config.HomeLocator;

/**
 * Builds the {@link InfoLinkServer} when the web application starts and closes it when it stops.
 * A configuration that cannot be used fails the deployment, loudly, instead of serving requests
 * half-configured.
 */
public final class InfoLinkContextListener implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(InfoLinkContextListener.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            HomeLocator.Location location = HomeLocator.locate(context.getInitParameter(HomeLocator.PARAMETER),
                    System::getProperty, System::getenv);
            InfoLinkServer server = InfoLinkServer.start(location, workDir(context), System::getenv);
            context.setAttribute(InfoLinkServer.ATTRIBUTE, server);
            LOG.info("InfoLink job server started at context path '" + context.getContextPath() + "'");
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "The InfoLink job server cannot start: " + e.getMessage(), e);
            throw new IllegalStateException("The InfoLink job server cannot start: " + e.getMessage(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object server = context.getAttribute(InfoLinkServer.ATTRIBUTE);
        context.removeAttribute(InfoLinkServer.ATTRIBUTE);
        if (server instanceof InfoLinkServer running) {
            running.close();
            LOG.info("InfoLink job server stopped");
        }
    }

    private static Path workDir(ServletContext context) {
        Object tempDir = context.getAttribute(ServletContext.TEMPDIR);
        if (tempDir instanceof File dir) {
            return dir.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "infolink-" + context.getContextPath().replace('/', '_'));
    }
}
