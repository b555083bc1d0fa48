package org.openinfolink.tomcat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a stock Apache Tomcat distribution as a separate process, with the InfoLink WAR deployed
 * exactly as an operator deploys it: the WAR in {@code webapps/infolink.war} and the context file
 * in {@code conf/Catalina/localhost/infolink.xml} of a {@code CATALINA_BASE} of its own.
 *
 * <p>{@link #start(Options)} builds the base (the distribution's {@code conf/} copied unchanged
 * except {@code server.xml}, see {@link ServerXmlPatcher}; empty {@code logs}, {@code temp},
 * {@code webapps}, {@code work}), runs {@code bin/catalina.sh run} with {@code CATALINA_HOME},
 * {@code CATALINA_BASE}, {@code CATALINA_OPTS} and the {@code JAVA_HOME} of the running JVM, and
 * returns once the {@code /infolink} context answers HTTP. The process output (Tomcat's console
 * log) is copied to {@code <base>/logs/catalina.out}.
 *
 * <p>Restarts: with {@link Options#keepBase()} a start on a base this class made earlier keeps
 * its {@code data/} (the context file's H2 database), {@code logs/} and {@code work/} and
 * refreshes the rest, so what the server stored survives. {@link #kill()} ends the Tomcat JVM
 * with SIGKILL, as a crash or {@code kill -9} would; {@link #startAgain()} starts it again on the
 * same base and port after a kill or a close.
 *
 * <p>Readiness: Tomcat starts its connectors only after deploying every application found at
 * start-up, so the first HTTP answer already tells whether the context exists. A request for
 * {@code /infolink} (no trailing slash) is redirected to {@code /infolink/} by Tomcat's mapper
 * only when the context is deployed and started; a 404 means it failed, and {@code start}
 * fails at once with the tail of the log instead of waiting for the deadline.
 *
 * <p>Lifecycle and thread safety: the caller owns the instance and closes it (try-with-resources).
 * {@link #close()} sends SIGTERM (Tomcat then stops its applications in order), waits
 * {@link Options#stopTimeout(Duration)}, then kills the process and any child it left. It is
 * idempotent and may run concurrently with anything else, including from another thread. A JVM
 * shutdown hook registered before the process is launched closes the instance if the JVM exits
 * first (Ctrl-C, {@code System.exit}), so no Tomcat outlives a test run; only a SIGKILL of this
 * JVM can orphan one. Log readers work at any time, also after close; the stock
 * AccessLogValve buffers, so its file is complete only after {@link #close()}. On a kept base
 * the logs of earlier runs come first.
 */
public final class StockTomcat implements AutoCloseable {

    /** The context name: the WAR is {@code infolink.war}, the context file {@code infolink.xml}. */
    public static final String CONTEXT_NAME = "infolink";

    /**
     * System property set to the HTTP port when a custom server.xml is used
     * ({@link Options#serverXml(Path)}); that file reads it as {@code ${infolink.port}}.
     */
    public static final String PORT_PROPERTY = "infolink.port";

    /**
     * Tomcat's switch for logging what it cannot parse (a bad request line, an invalid character
     * in a query string), request data included: by default the first such error of a day is
     * logged at INFO with the request target, an API key in it too. {@link #USER_DATA_LOG_QUIET}
     * logs them at DEBUG only, which is off unless an operator turns it on.
     */
    public static final String USER_DATA_LOG_PROPERTY = "org.apache.juli.logging.UserDataHelper.CONFIG";
    public static final String USER_DATA_LOG_QUIET = "DEBUG_ALL";

    private static final String MARKER_FILE = ".stock-tomcat-base";
    /** What {@link Options#keepBase()} keeps of an existing base; everything else is rebuilt. */
    private static final Set<String> KEPT_DIRECTORIES = Set.of("data", "logs", "work");
    private static final String CATALINA_OUT = "catalina.out";
    private static final String ACCESS_LOG_PREFIX = "localhost_access_log";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration FORCED_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 80;

    /**
     * Environment variables that catalina.sh reads and that must not leak in from the environment
     * of the calling JVM; the ones this class needs are then set explicitly.
     */
    private static final List<String> TOMCAT_ENVIRONMENT = List.of(
            "CATALINA_HOME", "CATALINA_BASE", "CATALINA_OPTS", "CATALINA_OUT", "CATALINA_OUT_CMD",
            "CATALINA_PID", "CATALINA_TMPDIR", "JAVA_HOME", "JRE_HOME", "JAVA_OPTS", "JPDA_ADDRESS",
            "JPDA_OPTS", "JPDA_SUSPEND", "JPDA_TRANSPORT", "LOGGING_CONFIG", "LOGGING_MANAGER",
            "USE_NOHUP", "CLASSPATH");

    private final Options options;
    private final Path catalinaBase;
    private final int httpPort;
    private final Object lock = new Object();
    private final Thread shutdownHook;
    private final ExecutorService outputCopier;

    private Process process;
    private Future<?> outputCopy;
    private boolean closed;
    private boolean stoppedGracefully;
    private Duration startupDuration;

    private StockTomcat(Options options, int httpPort) {
        this.options = options;
        this.catalinaBase = options.catalinaBase.toAbsolutePath().normalize();
        this.httpPort = httpPort;
        this.shutdownHook = new Thread(this::close, "stock-tomcat-shutdown-" + httpPort);
        this.outputCopier = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "stock-tomcat-output-" + httpPort);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Builds a fresh CATALINA_BASE (or refreshes a kept one, {@link Options#keepBase()}), starts
     * Tomcat and waits until the {@code /infolink} context answers.
     *
     * @throws IllegalStateException if Tomcat exits, does not deploy the context, or is not ready
     *     within {@link Options#startTimeout(Duration)}; the message ends with the tail of the log
     *     and the process is stopped
     * @throws IOException if the base cannot be prepared or the process cannot be launched
     */
    public static StockTomcat start(Options options) throws IOException {
        options.validate();
        int port = options.httpPort == 0 ? freePort() : requireFreePort(options.httpPort);
        StockTomcat tomcat = new StockTomcat(options, port);
        try {
            tomcat.prepareBase();
            tomcat.launch();
            tomcat.awaitReady();
            return tomcat;
        } catch (IOException | RuntimeException e) {
            tomcat.close();
            if (e instanceof StartupException) {
                throw new IllegalStateException(e.getMessage() + tomcat.formattedLogTail(), e.getCause());
            }
            throw e;
        } catch (InterruptedException e) {
            tomcat.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Tomcat to start", e);
        }
    }

    /**
     * Starts Tomcat again on this instance's base and HTTP port, with the same options and
     * {@link Options#keepBase()}: {@code data/}, {@code logs/} and {@code work/} stay. For a
     * restart after {@link #kill()} or {@link #close()}.
     *
     * @return the new instance, which the caller closes
     * @throws IllegalStateException if this instance has not been killed or closed, or the new
     *     one does not start (as {@link #start(Options)})
     */
    public StockTomcat startAgain() throws IOException {
        synchronized (lock) {
            if (!closed) {
                throw new IllegalStateException(this + " is still running: kill() or close() it first");
            }
        }
        return start(options.copy().keepBase().httpPort(httpPort));
    }

    /** {@code http://127.0.0.1:<port>/infolink}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + ServerXmlPatcher.LOOPBACK + ":" + httpPort + "/" + CONTEXT_NAME;
    }

    /** {@link #baseUrl()} followed by {@code path}, which starts with a slash. */
    public URI uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return URI.create(baseUrl() + path);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The process id of the Tomcat JVM ({@code catalina.sh run} execs java in place). */
    public long pid() {
        synchronized (lock) {
            return process.pid();
        }
    }

    public Path catalinaBase() {
        return catalinaBase;
    }

    public Path catalinaHome() {
        return options.catalinaHome;
    }

    /** From launching the process until the context answered HTTP. */
    public Duration startupDuration() {
        return startupDuration;
    }

    public boolean isAlive() {
        synchronized (lock) {
            return process != null && process.isAlive();
        }
    }

    /**
     * Whether {@link #close()} has stopped Tomcat with SIGTERM alone, within the stop timeout,
     * rather than killing it. {@code false} before close.
     */
    public boolean stoppedGracefully() {
        synchronized (lock) {
            return closed && stoppedGracefully;
        }
    }

    /** Blocks until the Tomcat process ends, however that happens, and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        Process running;
        synchronized (lock) {
            running = process;
        }
        return running.waitFor();
    }

    /**
     * Waits for {@code pause}, the interval between two polls of a caller, and fails at once with
     * the tail of the log if Tomcat exits meanwhile. Lets a test poll without a bare sleep.
     */
    public void pauseWhileRunning(Duration pause) throws InterruptedException {
        Process running;
        synchronized (lock) {
            running = process;
        }
        if (running.waitFor(pause.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("Tomcat exited with code " + running.exitValue()
                    + formattedLogTail());
        }
    }

    public Path logsDirectory() {
        return catalinaBase.resolve("logs");
    }

    /** The captured process output: everything Tomcat's ConsoleHandler logged. */
    public Path catalinaOut() {
        return logsDirectory().resolve(CATALINA_OUT);
    }

    /** The whole of {@link #catalinaOut()} so far; empty if nothing was written yet. */
    public String catalinaOutText() {
        return readText(catalinaOut());
    }

    /** The last {@code maxLines} lines of {@link #catalinaOut()}. */
    public List<String> logTail(int maxLines) {
        List<String> lines = catalinaOutText().lines().collect(Collectors.toList());
        return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
    }

    /** The files in {@code <base>/logs}, sorted by name. */
    public List<Path> logFiles() {
        return listLogs(name -> true);
    }

    /**
     * The lines of every {@code logs/localhost_access_log*} file, oldest file first. The stock
     * AccessLogValve buffers its output: call after {@link #close()} to see every request.
     */
    public List<String> accessLogLines() {
        return listLogs(name -> name.startsWith(ACCESS_LOG_PREFIX)).stream()
                .flatMap(file -> readText(file).lines())
                .collect(Collectors.toList());
    }

    /**
     * Stops Tomcat: SIGTERM, then SIGKILL after {@link Options#stopTimeout(Duration)}. Waits
     * until the process and any child it had are gone and its output is written. Idempotent.
     *
     * @throws IllegalStateException if the process is still alive even after SIGKILL
     */
    @Override
    public void close() {
        end(false);
    }

    /**
     * Kills Tomcat at once with SIGKILL ({@link Process#destroyForcibly()}), as {@code kill -9}
     * or a crash would: nothing in Tomcat runs any more, no context listener, no shutdown hook.
     * The process is the Tomcat JVM itself, since {@code catalina.sh run} execs java. Waits until
     * it is gone and its output is written; afterwards the instance is closed
     * ({@link #stoppedGracefully()} is false). Does nothing on a closed instance.
     *
     * @throws IllegalStateException if the process is not a java process, or is still alive
     */
    public void kill() {
        end(true);
    }

    private void end(boolean kill) {
        Process running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = process;
        }
        try {
            if (running != null) {
                boolean graceful = kill ? kill(running) : stop(running);
                synchronized (lock) {
                    stoppedGracefully = graceful;
                }
            }
        } finally {
            try {
                awaitOutputCopied();
            } finally {
                outputCopier.shutdownNow();
                removeShutdownHook();
            }
        }
    }

    @Override
    public String toString() {
        return "StockTomcat[" + options.catalinaHome.getFileName() + ", " + baseUrl() + "]";
    }

    private void prepareBase() throws IOException {
        if (Files.exists(catalinaBase)) {
            deleteOwnBase(catalinaBase, options.keepBase ? KEPT_DIRECTORIES : Set.of());
        }
        Path conf = catalinaBase.resolve("conf");
        Files.createDirectories(conf.resolve("Catalina").resolve("localhost"));
        for (String dir : List.of("logs", "temp", "webapps", "work")) {
            Files.createDirectories(catalinaBase.resolve(dir));
        }
        Files.writeString(catalinaBase.resolve(MARKER_FILE), "Created by " + StockTomcat.class.getName()
                + "; rebuilt at each start, except " + new TreeSet<>(KEPT_DIRECTORIES) + " when kept.\n");

        copyTree(options.catalinaHome.resolve("conf"), conf);
        Path serverXml = conf.resolve("server.xml");
        if (options.serverXml != null) {
            Files.copy(options.serverXml, serverXml, StandardCopyOption.REPLACE_EXISTING);
        } else {
            ServerXmlPatcher.patch(options.catalinaHome.resolve("conf").resolve("server.xml"), serverXml, httpPort);
        }
        if (options.tomcatUsers != null) {
            Files.copy(options.tomcatUsers, conf.resolve("tomcat-users.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Map.Entry<String, Path> directory : options.confDirectories.entrySet()) {
            copyTree(directory.getValue(), conf.resolve(directory.getKey()));
        }
        Files.copy(options.contextFile,
                conf.resolve("Catalina").resolve("localhost").resolve(CONTEXT_NAME + ".xml"));
        Files.copy(options.war, catalinaBase.resolve("webapps").resolve(CONTEXT_NAME + ".war"));
    }

    private void launch() throws IOException {
        Path catalinaSh = options.catalinaHome.resolve("bin").resolve("catalina.sh");
        List<String> command = Files.isExecutable(catalinaSh)
                ? List.of(catalinaSh.toString(), "run")
                : List.of("/bin/sh", catalinaSh.toString(), "run");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(catalinaBase.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        TOMCAT_ENVIRONMENT.forEach(environment::remove);
        String javaHome = System.getProperty("java.home");
        environment.put("CATALINA_HOME", options.catalinaHome.toString());
        environment.put("CATALINA_BASE", catalinaBase.toString());
        environment.put("JAVA_HOME", javaHome);
        environment.put("JRE_HOME", javaHome);
        environment.put("CATALINA_OPTS", catalinaOpts());
        options.environment.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });

        Runtime.getRuntime().addShutdownHook(shutdownHook);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed before Tomcat was launched");
            }
            Process started = builder.start();
            process = started;
            outputCopy = outputCopier.submit(() -> copyOutput(started.getInputStream()));
        }
    }

    /**
     * The JVM options and system properties as one CATALINA_OPTS value. catalina.sh passes it
     * through {@code eval}, so every word is single-quoted for the shell.
     */
    private String catalinaOpts() {
        List<String> words = new ArrayList<>(options.jvmOptions);
        // a connector that cannot bind must end the process, not leave a Tomcat without HTTP
        words.add("-Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true");
        if (options.serverXml != null) {
            words.add("-D" + PORT_PROPERTY + "=" + httpPort);
        }
        options.systemProperties.forEach((name, value) -> words.add("-D" + name + "=" + value));
        return words.stream().map(StockTomcat::shellQuote).collect(Collectors.joining(" "));
    }

    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private void copyOutput(InputStream output) {
        PrintStream echo = options.echo;
        byte[] buffer = new byte[8192];
        // a kept base keeps the output of earlier runs
        try (InputStream in = output; OutputStream file = Files.newOutputStream(catalinaOut(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                file.write(buffer, 0, read);
                file.flush();
                if (echo != null) {
                    echo.write(buffer, 0, read);
                    echo.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying the output of Tomcat to " + catalinaOut(), e);
        }
    }

    private void awaitReady() throws InterruptedException {
        long launchedAt = System.nanoTime();
        long deadline = launchedAt + options.startTimeout.toNanos();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        URI contextRoot = URI.create(baseUrl());
        String expectedLocation = "/" + CONTEXT_NAME + "/";
        Process running;
        synchronized (lock) {
            running = process;
        }
        while (true) {
            if (!running.isAlive()) {
                throw new StartupException("Tomcat (" + options.catalinaHome.getFileName()
                        + ") exited with code " + running.exitValue() + " before " + contextRoot
                        + " answered", null);
            }
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new StartupException("Tomcat (" + options.catalinaHome.getFileName()
                        + ") did not answer " + contextRoot + " within " + options.startTimeout, null);
            }
            Optional<HttpResponse<Void>> answer = get(client, contextRoot, Duration.ofNanos(remainingNanos));
            if (answer.isPresent()) {
                HttpResponse<Void> response = answer.get();
                String location = response.headers().firstValue("Location").orElse("");
                if (response.statusCode() == 302 && location.endsWith(expectedLocation)) {
                    break;
                }
                throw new StartupException("Tomcat started but the context /" + CONTEXT_NAME
                        + " is not deployed: GET " + contextRoot + " answered " + response.statusCode()
                        + (location.isEmpty() ? "" : " (Location: " + location + ")")
                        + " instead of a redirect to " + expectedLocation, null);
            }
            running.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        URI welcome = URI.create(baseUrl() + "/");
        if (get(client, welcome, Duration.ofSeconds(30)).isEmpty()) {
            throw new StartupException("the context /" + CONTEXT_NAME + " is deployed but GET "
                    + welcome + " got no answer", null);
        }
        startupDuration = Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** One GET; empty if nothing answered (not listening yet, reset, timed out). */
    private static Optional<HttpResponse<Void>> get(HttpClient client, URI uri, Duration timeout)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.discarding()));
        } catch (IOException e) {
            // refused, reset or timed out: Tomcat is still starting, or dying (the caller checks)
            return Optional.empty();
        }
    }

    /**
     * Signals through the {@link ProcessHandle}: {@code Process.destroy()} would also close our
     * end of the output pipe and lose what Tomcat logs while it stops.
     *
     * @return whether SIGTERM alone stopped the process within the stop timeout
     */
    private boolean stop(Process running) {
        ProcessHandle handle = running.toHandle();
        List<ProcessHandle> descendants = handle.descendants().collect(Collectors.toList());
        boolean graceful = true;
        boolean interrupted = false;
        try {
            if (handle.isAlive()) {
                handle.destroy();
                try {
                    graceful = running.waitFor(options.stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    graceful = false;
                    interrupted = true;
                }
            }
            if (!graceful) {
                handle.destroyForcibly();
            }
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
            }
            interrupted |= awaitGone(handle);
            for (ProcessHandle child : descendants) {
                interrupted |= awaitGone(child);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (handle.isAlive()) {
            throw new IllegalStateException("Tomcat process " + handle.pid() + " is still alive after SIGKILL");
        }
        return graceful;
    }

    /**
     * SIGKILL to the Tomcat JVM and any child it had, then waits until they are gone.
     *
     * @return false: a kill is never graceful
     */
    private boolean kill(Process running) {
        ProcessHandle handle = running.toHandle();
        Optional<String> command = handle.info().command();
        if (handle.isAlive() && command.isPresent() && !Path.of(command.get()).endsWith("java")) {
            throw new IllegalStateException("Tomcat process " + handle.pid() + " runs " + command.get()
                    + ", not java: catalina.sh run did not exec the JVM");
        }
        List<ProcessHandle> descendants = handle.descendants().collect(Collectors.toList());
        handle.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = awaitGone(handle);
        for (ProcessHandle child : descendants) {
            interrupted |= awaitGone(child);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (handle.isAlive()) {
            throw new IllegalStateException("Tomcat process " + handle.pid() + " is still alive after SIGKILL");
        }
        return false;
    }

    /** Waits for a process to end; returns whether the wait was interrupted. */
    private static boolean awaitGone(ProcessHandle handle) {
        try {
            handle.onExit().get(FORCED_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void awaitOutputCopied() {
        Future<?> copy;
        synchronized (lock) {
            copy = outputCopy;
        }
        if (copy == null) {
            return;
        }
        try {
            copy.get(OUTPUT_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the log may be incomplete; the process itself is stopped, which is what matters here
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) close(), which is idempotent
        }
    }

    private String formattedLogTail() {
        List<String> tail = logTail(LOG_TAIL_LINES);
        if (tail.isEmpty()) {
            return "\n(" + catalinaOut() + " is empty)";
        }
        return "\n--- last " + tail.size() + " lines of " + catalinaOut() + " ---\n"
                + String.join("\n", tail);
    }

    private List<Path> listLogs(Predicate<String> nameFilter) {
        if (!Files.isDirectory(logsDirectory())) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(logsDirectory())) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && nameFilter.test(entry.getFileName().toString())) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparing(path -> path.getFileName().toString()));
        return files;
    }

    private static String readText(Path file) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Deletes the contents of a CATALINA_BASE this class made earlier, except the top-level
     * folders named in {@code keep}. A non-empty folder without the marker file is refused, so a
     * wrong path can never wipe anything else.
     */
    private static void deleteOwnBase(Path base, Set<String> keep) throws IOException {
        List<Path> entries;
        try (Stream<Path> listed = Files.list(base)) {
            entries = listed.collect(Collectors.toList());
        }
        if (!entries.isEmpty() && !Files.exists(base.resolve(MARKER_FILE))) {
            throw new IOException("refusing to delete " + base + ": not empty and not made by "
                    + StockTomcat.class.getSimpleName() + " (no " + MARKER_FILE + ")");
        }
        for (Path entry : entries) {
            if (keep.contains(entry.getFileName().toString()) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(entry)) {
                List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
                for (Path path : deepestFirst) {
                    Files.delete(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(ServerXmlPatcher.LOOPBACK), 0));
            return socket.getLocalPort();
        }
    }

    private static int requireFreePort(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(ServerXmlPatcher.LOOPBACK), port));
            return port;
        } catch (IOException e) {
            throw new IOException("port " + port + " on " + ServerXmlPatcher.LOOPBACK
                    + " is in use: stop what listens there or choose another port", e);
        }
    }

    /** A start-up failure whose message still needs the log tail; never leaves this class. */
    private static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What to start: a distribution, the WAR and context file, and how to run it. Only
     * {@link #war(Path)} and {@link #contextFile(Path)} are required. Not thread safe; build it
     * on one thread and pass it to {@link StockTomcat#start(Options)}.
     */
    public static final class Options {
        private final Path catalinaHome;
        private Path war;
        private Path contextFile;
        private Path serverXml;
        private final Map<String, Path> confDirectories = new LinkedHashMap<>();
        private Path tomcatUsers;
        private Path catalinaBase;
        private int httpPort;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofMinutes(2);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private PrintStream echo;
        private boolean keepBase;

        private Options(Path catalinaHome) {
            this.catalinaHome = catalinaHome.toAbsolutePath().normalize();
            this.catalinaBase = Path.of("target", "stock-tomcat-base", this.catalinaHome.getFileName().toString());
        }

        /** An independent copy, for {@link StockTomcat#startAgain()}. */
        private Options copy() {
            Options copy = new Options(catalinaHome);
            copy.war = war;
            copy.contextFile = contextFile;
            copy.serverXml = serverXml;
            copy.confDirectories.putAll(confDirectories);
            copy.tomcatUsers = tomcatUsers;
            copy.catalinaBase = catalinaBase;
            copy.httpPort = httpPort;
            copy.jvmOptions.addAll(jvmOptions);
            copy.systemProperties.putAll(systemProperties);
            copy.environment.putAll(environment);
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            copy.echo = echo;
            copy.keepBase = keepBase;
            return copy;
        }

        /** Options for the unpacked distribution at {@code catalinaHome} (its CATALINA_HOME). */
        public static Options forDistribution(Path catalinaHome) {
            return new Options(Objects.requireNonNull(catalinaHome));
        }

        /** The WAR to deploy as {@code webapps/infolink.war}. Required. */
        public Options war(Path war) {
            this.war = war.toAbsolutePath().normalize();
            return this;
        }

        /** The context file to install as {@code conf/Catalina/localhost/infolink.xml}. Required. */
        public Options contextFile(Path contextFile) {
            this.contextFile = contextFile.toAbsolutePath().normalize();
            return this;
        }

        /**
         * A server.xml to use as it is instead of the patched stock one. It must take the HTTP
         * port from {@code ${infolink.port}} (set to the chosen port) and bind 127.0.0.1.
         */
        public Options serverXml(Path serverXml) {
            this.serverXml = serverXml.toAbsolutePath().normalize();
            return this;
        }

        /** A {@code tomcat-users.xml} to use instead of the distribution's (which has no user). */
        public Options tomcatUsers(Path tomcatUsersXml) {
            this.tomcatUsers = tomcatUsersXml.toAbsolutePath().normalize();
            return this;
        }

        /**
         * A folder to copy into {@code conf/<name>} of the base, e.g. the error pages a custom
         * server.xml names ({@code tomcat-conf/errors} as {@code conf/infolink-errors}).
         */
        public Options confDirectory(Path source, String name) {
            confDirectories.put(Objects.requireNonNull(name), source.toAbsolutePath().normalize());
            return this;
        }

        /**
         * Where to build CATALINA_BASE; default {@code target/stock-tomcat-base/<distribution>}.
         * A previous base there (one this class made) is deleted first, unless {@link #keepBase()}.
         */
        public Options catalinaBase(Path catalinaBase) {
            this.catalinaBase = Objects.requireNonNull(catalinaBase);
            return this;
        }

        /**
         * Keeps a previous base (one this class made) instead of deleting it: its {@code data/},
         * {@code logs/} and {@code work/} stay as they are, so databases, logs and what the web
         * application keeps in its work folder survive the restart; {@code conf/} (from the
         * distribution, with server.xml and the context file), {@code webapps/} (the WAR) and
         * {@code temp/} are rebuilt. Without a previous base it is built fresh.
         */
        public Options keepBase() {
            this.keepBase = true;
            return this;
        }

        /** The HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Options httpPort(int httpPort) {
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("port out of range: " + httpPort);
            }
            this.httpPort = httpPort;
            return this;
        }

        /** JVM options for Tomcat, e.g. {@code -Xmx256m}; each one word, passed via CATALINA_OPTS. */
        public Options jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option));
            return this;
        }

        /** A system property for the Tomcat JVM. */
        public Options systemProperty(String name, String value) {
            systemProperties.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** An environment variable for Tomcat, set after the ones this class sets itself. */
        public Options environment(String name, String value) {
            environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Removes a variable that Tomcat would otherwise inherit, e.g. {@code INFOLINK_HOME}. */
        public Options unsetEnvironment(String name) {
            environment.put(Objects.requireNonNull(name), null);
            return this;
        }

        /** How long start may take before it fails; default 2 minutes. */
        public Options startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** How long Tomcat may take to stop after SIGTERM before it is killed; default 30 s. */
        public Options stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /** Also copies Tomcat's output to this stream (besides catalina.out). */
        public Options echoOutputTo(PrintStream echo) {
            this.echo = Objects.requireNonNull(echo);
            return this;
        }

        private void validate() {
            requireFile(war, "war");
            requireFile(contextFile, "contextFile");
            if (serverXml != null) {
                requireFile(serverXml, "serverXml");
            }
            confDirectories.forEach((name, source) -> {
                if (!Files.isDirectory(source)) {
                    throw new IllegalArgumentException("confDirectory " + name + ": no such folder: " + source);
                }
            });
            if (!Files.isRegularFile(catalinaHome.resolve("bin").resolve("catalina.sh"))
                    || !Files.isRegularFile(catalinaHome.resolve("conf").resolve("server.xml"))) {
                throw new IllegalArgumentException(catalinaHome
                        + " is not an unpacked Tomcat distribution (no bin/catalina.sh or conf/server.xml)");
            }
            if (catalinaBase.toAbsolutePath().normalize().startsWith(catalinaHome)) {
                throw new IllegalArgumentException("CATALINA_BASE " + catalinaBase + " must not lie inside CATALINA_HOME");
            }
        }

        private static void requireFile(Path file, String what) {
            if (file == null) {
                throw new IllegalArgumentException(what + " is required");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(what + ": no such file: " + file);
            }
        }
    }
}
