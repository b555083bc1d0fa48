package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@link ServerXmlPatcher} on a file shaped like Tomcat's stock server.xml. */
class ServerXmlPatcherTest {

    /** The stock Tomcat 11 server.xml, shortened, with the AJP connector switched on. */
    private static final String STOCK = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- stock licence header -->
            <Server port="8005" shutdown="SHUTDOWN">
              <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
              <Service name="Catalina">
                <Connector port="8080" protocol="HTTP/1.1"
                           connectionTimeout="20000"
                           redirectPort="8443" />
                <!--
                <Connector port="8443" protocol="org.apache.coyote.http11.Http11NioProtocol"
                           maxThreads="150" SSLEnabled="true"/>
                -->
                <Connector protocol="AJP/1.3" address="::1" port="8009" redirectPort="8443" />
                <Engine name="Catalina" defaultHost="localhost">
                  <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true">
                    <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
                           prefix="localhost_access_log" suffix=".txt"
                           pattern="%h %l %u %t &quot;%r&quot; %s %b" />
                  </Host>
                </Engine>
              </Service>
            </Server>
            """;

    private final Path dir = Path.of("target", "unit-tests", "server-xml-patcher");
    private Path stock;
    private Path patched;

    @BeforeEach
    void writeStockFile() throws IOException {
        Files.createDirectories(dir);
        stock = dir.resolve("server.xml");
        patched = dir.resolve("server-patched.xml");
        Files.writeString(stock, STOCK);
        Files.deleteIfExists(patched);
    }

    @Test
    void disablesTheShutdownPortAndMovesHttpToLoopbackOnTheGivenPort() throws Exception {
        ServerXmlPatcher.patch(stock, patched, 41234);

        Document document = parse(patched);
        assertEquals("-1", document.getDocumentElement().getAttribute("port"));
        NodeList connectors = document.getElementsByTagName("Connector");
        assertEquals(1, connectors.getLength(), "only the HTTP connector is left");
        Element http = (Element) connectors.item(0);
        assertEquals("41234", http.getAttribute("port"));
        assertEquals("127.0.0.1", http.getAttribute("address"));
        assertEquals("HTTP/1.1", http.getAttribute("protocol"));
        assertEquals("20000", http.getAttribute("connectionTimeout"));
    }

    @Test
    void keepsEverythingElseAsShipped() throws Exception {
        ServerXmlPatcher.patch(stock, patched, 41234);

        String text = Files.readString(patched);
        assertFalse(text.contains("AJP/1.3"), "the AJP connector is removed");
        assertTrue(text.contains("stock licence header"), "comments are kept");
        assertTrue(text.contains("SSLEnabled=\"true\""), "the commented-out TLS connector is kept as a comment");
        Element valve = (Element) parse(patched).getElementsByTagName("Valve").item(0);
        assertEquals("%h %l %u %t \"%r\" %s %b", valve.getAttribute("pattern"));
        assertEquals(1, parse(patched).getElementsByTagName("Listener").getLength());
    }

    @Test
    void refusesAFileThatIsNotStock() throws IOException {
        Files.writeString(stock, STOCK.replace("<Connector protocol=\"AJP/1.3\"",
                "<Connector port=\"9090\" protocol=\"HTTP/1.1\"/>\n<Connector protocol=\"AJP/1.3\""));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerXmlPatcher.patch(stock, patched, 41234));
        assertTrue(e.getMessage().contains("exactly one active HTTP connector, found 2"), e.getMessage());
        assertFalse(Files.exists(patched));
    }

    private static Document parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }
}
