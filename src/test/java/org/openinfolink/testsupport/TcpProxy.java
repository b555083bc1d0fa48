package org.openinfolink.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 for tests: forwards the bytes of every connection to one target, both
 * ways, and can cut the line. {@link #cut()} drops every connection it carries and, until
 * {@link #restore()}, closes each new one as soon as it is accepted, as a network that lost the
 * route would; the port stays bound, so a restored line is the same address.
 *
 * <p>Thread safe. Each connection uses two threads of the proxy's own pool (one per direction);
 * {@link #close()} closes the listening socket and every connection and is idempotent.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target, ServerSocket listener, String name) {
        this.target = target;
        this.listener = listener;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tcp-proxy-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A proxy listening on a free port of 127.0.0.1, forwarding to {@code host:port}. */
    public static TcpProxy start(String name, String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port), listener, name);
        proxy.threads.execute(proxy::acceptLoop);
        return proxy;
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far, cut ones included. */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Drops every connection now and refuses (accepts and closes) new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Forwards new connections again. */
    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (cut || closed) {
                closeQuietly(client);
                continue;
            }
            threads.execute(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        sockets.add(client);
        sockets.add(server);
        if (cut || closed) {
            // cut while connecting: cut() may have missed these two
            closePair(client, server);
            return;
        }
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
    }

    /** Copies bytes from one socket to the other until either ends; then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the line was cut, or the other side closed: both sides end below
        } finally {
            closePair(from, to);
        }
    }

    private void closePair(Socket one, Socket other) {
        sockets.remove(one);
        sockets.remove(other);
        closeQuietly(one);
        closeQuietly(other);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing what is being thrown away; nothing to do about a failure
        }
    }
}
