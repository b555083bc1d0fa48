package org.openinfolink.bench;

import java.nio.file.Path;

/**
 * Where the benchmark finds what it runs and writes what it measures, from system properties that
 * the {@code bench} profile of pom.xml sets. Immutable.
 *
 * @param tomcatHome      {@code infolink.bench.tomcat}: the unpacked Tomcat 11 distribution
 * @param war             {@code infolink.bench.war}: the WAR to deploy
 * @param contextFile     {@code infolink.bench.context}: the context file, {@code tomcat-conf/infolink.xml}
 * @param outputDirectory {@code infolink.bench.output}: for the CATALINA_BASE and {@code results.txt}
 * @param serverHeap      {@code infolink.bench.heap}: the server's {@code -Xmx} value, default {@code 256m}
 * @param runs            {@code infolink.bench.runs}: measured rounds per database, default 3
 */
record BenchOptions(Path tomcatHome, Path war, Path contextFile, Path outputDirectory, String serverHeap,
                    int runs) {

    static BenchOptions fromSystemProperties() {
        return new BenchOptions(
                path("infolink.bench.tomcat", "target/stock-tomcat/apache-tomcat-11.0.24"),
                path("infolink.bench.war", "target/infolink.war"),
                path("infolink.bench.context", "tomcat-conf/infolink.xml"),
                path("infolink.bench.output", "target/bench"),
                System.getProperty("infolink.bench.heap", "256m"),
                runs(System.getProperty("infolink.bench.runs", "3")));
    }

    private static int runs(String value) {
        try {
            int runs = Integer.parseInt(value.trim());
            if (runs >= 1 && runs <= 100) {
                return runs;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("infolink.bench.runs must be a number from 1 to 100, not '" + value + "'");
    }

    private static Path path(String property, String defaultValue) {
        return Path.of(System.getProperty(property, defaultValue)).toAbsolutePath().normalize();
    }
}
