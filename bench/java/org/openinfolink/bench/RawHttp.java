package org.openinfolink.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's HTTP/1.1 client: plain sockets, keep-alive, one connection per thread and
 * server, answers with {@code Content-Length} or chunked bodies. It exists so that the client
 * costs as little as possible: {@code java.net.http.HttpClient} spent about 1.8 ms of CPU per small
 * call, which on 2 cores was CPU the server and its database did not get. A body must be read to
 * its end (or closed, which reads it to its end) before the thread's next call to the same server.
 * Thread safe: each thread has its own connections.
 */
final class RawHttp {

    /** An answer: its status, its headers (names in lower case) and its body, streamed. */
    record Response(int status, Map<String, String> headers, InputStream body) {

        /** The whole body as text; reads it to its end. */
        String text() throws IOException {
            try (InputStream in = body) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 600_000;

    private final ThreadLocal<Map<String, Connection>> connections = ThreadLocal.withInitial(HashMap::new);

    Response get(URI uri, Map<String, String> headers) throws IOException {
        return send("GET", uri, headers, null);
    }

    Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
        return send("POST", uri, headers, body);
    }

    private Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws IOException {
        String authority = uri.getHost() + ":" + uri.getPort();
        Map<String, Connection> mine = connections.get();
        Connection connection = mine.get(authority);
        boolean reused = connection != null;
        if (connection == null) {
            connection = new Connection(uri.getHost(), uri.getPort());
            mine.put(authority, connection);
        }
        try {
            return connection.exchange(method, uri, authority, headers, body);
        } catch (IOException e) {
            connection.close();
            mine.remove(authority);
            if (!reused) {
                throw e;
            }
            // the server closed an idle kept-alive connection: once more on a new one
            Connection fresh = new Connection(uri.getHost(), uri.getPort());
            mine.put(authority, fresh);
            return fresh.exchange(method, uri, authority, headers, body);
        }
    }

    /** One kept-alive connection; used by one thread. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean closeAfterBody;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
            out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
        }

        Response exchange(String method, URI uri, String authority, Map<String, String> headers, byte[] body)
                throws IOException {
            if (closeAfterBody || socket.isClosed()) {
                throw new IOException("connection closed by the server");
            }
            StringBuilder head = new StringBuilder(256);
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(authority)
                    .append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();

            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("no answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> answerHeaders = new HashMap<>();
            for (String line; (line = line()) != null && !line.isEmpty(); ) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    answerHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            closeAfterBody = "close".equalsIgnoreCase(answerHeaders.get("connection"));
            InputStream content;
            if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
                content = new ChunkedBody();
            } else if (answerHeaders.containsKey("content-length")) {
                content = new LengthBody(Long.parseLong(answerHeaders.get("content-length")));
            } else {
                closeAfterBody = true;
                content = new LengthBody(Long.MAX_VALUE);
            }
            return new Response(status, answerHeaders, content);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
        }

        /** A header line without its CRLF; null at the end of the stream. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') {
                    int length = line.length();
                    return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1)
                            : line.toString();
                }
                line.append((char) b);
            }
            return line.length() == 0 ? null : line.toString();
        }

        private void bodyEnded() {
            if (closeAfterBody) {
                close();
            }
        }

        /** A body of a known length; closing it reads what is left, so the connection can serve again. */
        private final class LengthBody extends InputStream {
            private long left;

            LengthBody(long length) {
                this.left = length;
                if (length == 0) {
                    bodyEnded();
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(target, offset, (int) Math.min(length, left));
                if (n == -1) {
                    if (left != Long.MAX_VALUE) {
                        throw new EOFException(left + " bytes of the body missing");
                    }
                    left = 0;
                    bodyEnded();
                    return -1;
                }
                if (left != Long.MAX_VALUE) {
                    left -= n;
                    if (left == 0) {
                        bodyEnded();
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                skipRest(this);
            }
        }

        /** A chunked body (RFC 9112 section 7.1), trailers skipped. */
        private final class ChunkedBody extends InputStream {
            private long chunkLeft;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (ended) {
                    return -1;
                }
                if (chunkLeft == 0) {
                    String size = line();
                    if (size == null) {
                        throw new EOFException("the chunked body ends early");
                    }
                    int extension = size.indexOf(';');
                    chunkLeft = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).trim(), 16);
                    if (chunkLeft == 0) {
                        for (String trailer; (trailer = line()) != null && !trailer.isEmpty(); ) {
                            // trailers carry nothing the benchmark reads
                        }
                        ended = true;
                        bodyEnded();
                        return -1;
                    }
                }
                int n = in.read(target, offset, (int) Math.min(length, chunkLeft));
                if (n == -1) {
                    throw new EOFException("the chunked body ends within a chunk");
                }
                chunkLeft -= n;
                if (chunkLeft == 0 && line() == null) {
                    throw new EOFException("the chunked body ends after a chunk");
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                skipRest(this);
            }
        }

        private static void skipRest(InputStream body) throws IOException {
            byte[] sink = new byte[8192];
            while (body.read(sink, 0, sink.length) != -1) {
                // drain
            }
        }
    }
}
