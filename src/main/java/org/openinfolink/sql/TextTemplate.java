package org.openinfolink.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A string value (not SQL) in which each {@code ${name}} is replaced by the text of a value.
 * Names follow the rule of {@link SqlTemplate}. A {@code $} not followed by <code>{</code>
 * (so {@code $$} too) is literal text; there is no escape for a literal {@code ${name}}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TextTemplate {

    private final String text;
    /** The text around the references: one more entry than {@link #referenceNames}. */
    private final List<String> literals;
    private final List<String> referenceNames;
    private final Set<String> names;

    private TextTemplate(String text, List<String> literals, List<String> referenceNames) {
        this.text = text;
        this.literals = literals;
        this.referenceNames = referenceNames;
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(referenceNames));
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if a <code>${</code> is not closed by <code>}</code> or
     *     holds an invalid name; the message gives the line
     */
    public static TextTemplate parse(String text) {
        char[] chars = text.toCharArray();
        List<String> literals = new ArrayList<>();
        List<String> referenceNames = new ArrayList<>();
        int literalStart = 0;
        for (int i = text.indexOf("${"); i >= 0; i = text.indexOf("${", literalStart)) {
            int end = TemplateReferences.wellFormedEnd(chars, i, chars.length);
            if (end < 0) {
                throw new IllegalArgumentException(TemplateReferences.malformedMessage(chars, i));
            }
            literals.add(text.substring(literalStart, i));
            referenceNames.add(TemplateReferences.name(chars, i, end));
            literalStart = end;
        }
        literals.add(text.substring(literalStart));
        return new TextTemplate(text, List.copyOf(literals), List.copyOf(referenceNames));
    }

    /** The names referenced, each once, in order of first appearance. Unmodifiable. */
    public Set<String> names() {
        return names;
    }

    /**
     * The text with each reference replaced by {@code values.apply(name)}. Values are inserted
     * as they are: a <code>${</code> in a value is not expanded again.
     *
     * @param values the value of a name, or null when the name is unknown
     * @throws IllegalArgumentException naming the first reference whose value is null
     */
    public String render(Function<String, String> values) {
        Objects.requireNonNull(values, "values");
        StringBuilder rendered = new StringBuilder(text.length());
        rendered.append(literals.get(0));
        for (int i = 0; i < referenceNames.size(); i++) {
            String name = referenceNames.get(i);
            String value = values.apply(name);
            if (value == null) {
                throw new IllegalArgumentException("unknown name ${" + name + "}");
            }
            rendered.append(value).append(literals.get(i + 1));
        }
        return rendered.toString();
    }

    /** The template as written. */
    @Override
    public String toString() {
        return text;
    }
}
