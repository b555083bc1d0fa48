package org.openinfolink.admin;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.jsp.JspApplicationContext;
import jakarta.servlet.jsp.JspFactory;

/**
 * Prepares the JSP engine for the console's views before the first request: registers
 * {@link RecordElResolver}, so the views read the model records on Tomcat 10.1 as on 11.
 */
public final class ConsoleSetup implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        JspFactory factory = JspFactory.getDefaultFactory();
        if (factory == null) {
            throw new IllegalStateException("No JSP engine: the admin console's views cannot be rendered");
        }
        JspApplicationContext jsp = factory.getJspApplicationContext(event.getServletContext());
        jsp.addELResolver(new RecordElResolver());
    }
}
