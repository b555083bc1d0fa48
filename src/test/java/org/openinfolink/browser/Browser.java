package org.openinfolink.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium driven through chromedriver, both from Debian's packages, set up as
 * TOOLCHAIN.md section 12 says: the driver's path is given, so Selenium Manager never runs and
 * nothing is fetched; the profile lives under {@code target/} and is removed on {@link #close()}.
 * The window is {@link #DESKTOP} until {@link #phone()} emulates a phone. Not thread safe: one
 * test class drives it.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The desktop window, in CSS pixels. */
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    /** A phone's viewport, in CSS pixels. */
    public static final Dimension PHONE = new Dimension(390, 844);

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts the browser with a fresh profile.
     *
     * @throws AssertionError when Chromium or chromedriver is not installed, saying how to install them
     */
    public static Browser start() throws IOException {
        requireInstalled();
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path profile = Files.createTempDirectory(target, "chrome-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(),
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
            return new Browser(profile, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw new AssertionError("Chromium did not start through " + CHROMEDRIVER + " (" + e.getMessage()
                    + "). Reinstall it with: apt-get install chromium chromium-driver", e);
        }
    }

    /** Fails, naming the packages to install, when the browser or its driver is missing. */
    static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                missing.add(binary.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("The browser tests of the admin console need headless Chromium and chromedriver, "
                    + "and " + String.join(" and ", missing) + " is missing. Install them with: "
                    + "apt-get install chromium chromium-driver");
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Runs {@code script} in the page, with {@code arguments[i]}; answers what it returns. */
    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** A wait of {@code timeout} that polls every 50 ms and ignores elements replaced meanwhile. */
    public WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** A phone's viewport ({@link #PHONE}), with touch and the page's viewport meta honoured. */
    public void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE.getWidth(),
                "height", PHONE.getHeight(), "deviceScaleFactor", 2, "mobile", true));
    }

    /** Back to the desktop window ({@link #DESKTOP}). */
    public void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.manage().window().setSize(DESKTOP);
    }

    /** Writes what the viewport shows to {@code file} as PNG. */
    public void screenshot(Path file) throws IOException {
        write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Writes the whole page, below the fold too, at the window's width to {@code file} as PNG. */
    public void fullPageScreenshot(Path file) throws IOException {
        Number width = (Number) script("return document.documentElement.scrollWidth");
        Number height = (Number) script("return document.documentElement.scrollHeight");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width.intValue(),
                        "height", height.intValue(), "scale", 1)));
        write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static void write(Path file, byte[] png) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // written beside it, then moved over it: a reader never sees half a PNG
        Path partial = parent.resolve(file.getFileName() + ".part");
        Files.write(partial, png);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Quits the browser, stops the driver and removes the profile; each step runs even if one before failed. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                service.stop();
            } finally {
                deleteTree(profile);
            }
        }
    }

    /** Best effort: a profile left behind under target/ is harmless, and no test should fail for it. */
    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("The browser profile " + root + " was not removed: " + e);
        }
    }
}
