package org.openinfolink.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The parts of {@link StockTomcat} that need no Tomcat: option quoting and base safety. */
class StockTomcatTest {

    private final Path dir = Path.of("target", "unit-tests", "stock-tomcat");

    @Test
    void quotedOptionsSurviveTheEvalInCatalinaSh() throws Exception {
        List<String> options = List.of("-Xmx256m", "-Dname=two words", "-Dq=it's \"quoted\"", "-Dx=$HOME;`id`");
        String catalinaOpts = options.stream().map(StockTomcat::shellQuote).collect(Collectors.joining(" "));

        // catalina.sh runs: eval exec java ... "$CATALINA_OPTS" ...
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
                "eval set -- \"$CATALINA_OPTS\"; printf '%s\\n' \"$@\"")
                .redirectErrorStream(true);
        builder.environment().put("CATALINA_OPTS", catalinaOpts);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));

        assertEquals(options, output.lines().collect(Collectors.toList()));
    }

    @Test
    void refusesToWipeAFolderItDidNotCreate() throws IOException {
        Path home = fakeDistribution();
        Path war = Files.writeString(dir.resolve("infolink.war"), "not a war");
        Path foreign = dir.resolve("someone-elses-folder");
        Files.createDirectories(foreign);
        Path precious = Files.writeString(foreign.resolve("precious.txt"), "keep me");

        StockTomcat.Options options = StockTomcat.Options.forDistribution(home)
                .war(war)
                .contextFile(war)
                .catalinaBase(foreign);

        IOException e = assertThrows(IOException.class, () -> StockTomcat.start(options));
        assertTrue(e.getMessage().contains("refusing to delete"), e.getMessage());
        assertEquals("keep me", Files.readString(precious));
    }

    @Test
    void keepsDataLogsAndWorkOfItsOwnBaseWhenAskedAndRebuildsTheRest() throws IOException {
        Path home = fakeDistribution();
        Path war = Files.writeString(dir.resolve("infolink.war"), "the new war");
        Path base = dir.resolve("kept-base");
        StockTomcat.Options options = StockTomcat.Options.forDistribution(home)
                .war(war)
                .contextFile(war)
                .serverXml(home.resolve("conf").resolve("server.xml"))
                .catalinaBase(base);
        // the base is built, then the fake catalina.sh exits at once
        assertThrows(IllegalStateException.class, () -> StockTomcat.start(options));
        for (String file : List.of("data/infolink/default.mv.db", "work/Catalina/localhost/infolink/w.txt",
                "webapps/old.war", "temp/t.txt", "conf/Catalina/localhost/old.xml")) {
            Files.createDirectories(base.resolve(file).getParent());
            Files.writeString(base.resolve(file), "from the first run");
        }
        Files.writeString(base.resolve("logs").resolve("catalina.out"), "first run\n");

        assertThrows(IllegalStateException.class, () -> StockTomcat.start(options.keepBase()));

        assertEquals("from the first run", Files.readString(base.resolve("data/infolink/default.mv.db")));
        assertEquals("from the first run", Files.readString(base.resolve("work/Catalina/localhost/infolink/w.txt")));
        assertTrue(Files.readString(base.resolve("logs/catalina.out")).startsWith("first run\n"),
                "the output of the second start is appended to catalina.out");
        for (String gone : List.of("webapps/old.war", "temp/t.txt", "conf/Catalina/localhost/old.xml")) {
            assertFalse(Files.exists(base.resolve(gone)), gone + " is still there");
        }
        assertEquals("the new war", Files.readString(base.resolve("webapps/infolink.war")));
        assertTrue(Files.exists(base.resolve("conf/Catalina/localhost/infolink.xml")));

        assertThrows(IllegalStateException.class, () -> StockTomcat.start(StockTomcat.Options.forDistribution(home)
                .war(war).contextFile(war).serverXml(home.resolve("conf").resolve("server.xml")).catalinaBase(base)));
        assertFalse(Files.exists(base.resolve("data/infolink/default.mv.db")), "without keepBase the base is rebuilt");
    }

    /** A folder shaped like a distribution whose catalina.sh exits at once with code 1. */
    private Path fakeDistribution() throws IOException {
        Path home = dir.resolve("fake-distribution");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("bin").resolve("catalina.sh"), "#!/bin/sh\nexit 1\n");
        Files.writeString(home.resolve("conf").resolve("server.xml"), "<Server/>");
        return home;
    }
}
