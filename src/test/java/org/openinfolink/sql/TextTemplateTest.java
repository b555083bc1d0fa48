package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTemplateTest {

    private static final Map<String, String> VALUES =
            Map.of("region", "EU", "jobId", "job-7", "app.name", "CRM", "empty", "");

    private static String render(String text) {
        return TextTemplate.parse(text).render(VALUES::get);
    }

    @Test
    void replacesEachReferenceWithItsValue() {
        assertEquals("companies_EU_job-7", render("companies_${region}_${jobId}"));
        assertEquals("CRMEUCRM", render("${app.name}${region}${app.name}"));
        assertEquals("[]", render("[${empty}]"));
    }

    @Test
    void listsEachNameOnceInOrderOfFirstAppearance() {
        TextTemplate template = TextTemplate.parse("${b}-${a}-${b}");
        assertEquals(List.of("b", "a"), List.copyOf(template.names()));
        assertThrows(UnsupportedOperationException.class, () -> template.names().add("c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "$", "a $ b", "$$", "cost: $5", "{region}", "$(x)", "$((x))"})
    void keepsTextWithoutReferencesAsItIs(String text) {
        TextTemplate template = TextTemplate.parse(text);
        assertEquals(Set.of(), template.names());
        assertEquals(text, template.render(name -> {
            throw new AssertionError("no value should be asked for, got " + name);
        }));
    }

    @Test
    void keepsADollarBeforeAReference() {
        assertEquals("$EU and $$EU", render("$${region} and $$${region}"));
    }

    @Test
    void doesNotExpandReferencesInValues() {
        assertEquals("a ${region} b", TextTemplate.parse("a ${x} b").render(name -> "${region}"));
    }

    @Test
    void refusesAnUnknownName() {
        TextTemplate template = TextTemplate.parse("t_${region}_${nope}");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> template.render(VALUES::get));
        assertEquals("unknown name ${nope}", error.getMessage());
    }

    @Test
    void reportsAnUnclosedReferenceWithItsLine() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> TextTemplate.parse("a\nb ${region"));
        assertEquals("unclosed template reference '${region' on line 2: write ${name}", error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"${1a}", "x ${a b} y", "${-a}", "${a/b}"})
    void reportsAnInvalidName(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TextTemplate.parse(text));
        assertTrue(error.getMessage().startsWith("invalid template name '"), error.getMessage());
        assertTrue(error.getMessage().contains(" on line 1: "), error.getMessage());
    }

    @Test
    void reportsAnEmptyReference() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TextTemplate.parse("${}"));
        assertEquals("empty template reference ${} on line 1", error.getMessage());
    }

    @Test
    void showsTheTextAsWritten() {
        assertEquals("t_${region}", TextTemplate.parse("t_${region}").toString());
    }
}
