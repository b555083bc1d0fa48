package org.openinfolink.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Rewrites a stock Tomcat {@code conf/server.xml} so that several servers can run side by side on
 * one machine, and changes nothing else:
 * <ul>
 *   <li>{@code <Server port>} becomes {@code -1}: no shutdown port (the process is stopped with a
 *       signal, see {@link StockTomcat#close()});</li>
 *   <li>the one plain HTTP {@code <Connector>} gets the given port and {@code address="127.0.0.1"};</li>
 *   <li>every AJP {@code <Connector>} is removed (the stock file has it commented out).</li>
 * </ul>
 * Listeners, realms, the Host and its AccessLogValve, and all comments stay as shipped. A file
 * with a TLS connector or more than one HTTP connector is not stock and is refused.
 *
 * <p>Stateless and thread safe.
 */
final class ServerXmlPatcher {

    /** The address every patched HTTP connector binds to: tests never listen beyond loopback. */
    static final String LOOPBACK = "127.0.0.1";

    private ServerXmlPatcher() {
    }

    /**
     * Reads {@code stockServerXml}, patches it as described above and writes the result to
     * {@code target} (replacing it).
     *
     * @param httpPort the port for the HTTP connector, 1 to 65535
     * @throws IllegalArgumentException if the file is not shaped like a stock server.xml
     */
    static void patch(Path stockServerXml, Path target, int httpPort) throws IOException {
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port out of range: " + httpPort);
        }
        Document document = parse(stockServerXml);
        Element server = document.getDocumentElement();
        if (!"Server".equals(server.getTagName())) {
            throw new IllegalArgumentException(stockServerXml + ": the root element is <"
                    + server.getTagName() + ">, not <Server>");
        }
        server.setAttribute("port", "-1");

        List<Element> httpConnectors = new ArrayList<>();
        for (Element connector : elements(document, "Connector")) {
            String protocol = connector.getAttribute("protocol").toLowerCase(Locale.ROOT);
            if (protocol.contains("ajp")) {
                removeWithIndentation(connector);
            } else if (Boolean.parseBoolean(connector.getAttribute("SSLEnabled"))) {
                throw new IllegalArgumentException(stockServerXml
                        + ": has an active TLS connector, which a stock server.xml has not");
            } else {
                httpConnectors.add(connector);
            }
        }
        if (httpConnectors.size() != 1) {
            throw new IllegalArgumentException(stockServerXml + ": expected exactly one active HTTP"
                    + " connector, found " + httpConnectors.size());
        }
        Element http = httpConnectors.get(0);
        http.setAttribute("port", Integer.toString(httpPort));
        http.setAttribute("address", LOOPBACK);

        write(document, target);
    }

    private static Document parse(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            factory.setIgnoringComments(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            try (InputStream in = Files.newInputStream(file)) {
                return builder.parse(in, file.toUri().toString());
            }
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalArgumentException(file + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static void write(Document document, Path target) throws IOException {
        StringWriter xml = new StringWriter();
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            transformer.transform(new DOMSource(document), new StreamResult(xml));
        } catch (TransformerException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        // the transformer puts the first comment on the line of the XML declaration
        Files.writeString(target, xml.toString().replaceFirst("\\?>", "?>" + System.lineSeparator()),
                StandardCharsets.UTF_8);
    }

    private static List<Element> elements(Document document, String tagName) {
        NodeList nodes = document.getElementsByTagName(tagName);
        List<Element> result = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }

    /** Removes the element and the whitespace that indented it, so no blank line is left. */
    private static void removeWithIndentation(Element element) {
        Node parent = element.getParentNode();
        Node before = element.getPreviousSibling();
        if (before != null && before.getNodeType() == Node.TEXT_NODE && before.getTextContent().isBlank()) {
            parent.removeChild(before);
        }
        parent.removeChild(element);
    }
}
