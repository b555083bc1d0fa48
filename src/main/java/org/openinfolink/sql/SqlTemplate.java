package org.openinfolink.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SQL in which each template reference {@code ${name}} has become a JDBC bind marker
 * {@code ?}, so that values are bound, never pasted into the SQL text.
 *
 * <p>A reference is {@code ${name}}, where the name starts with an ASCII letter or {@code _} and
 * continues with ASCII letters, digits, {@code _}, {@code .} or {@code -}. Only references in
 * code are bound. One in a comment is left in the text as it is and not bound. One in a string
 * literal, a dollar-quoted body or a quoted identifier is an error, since a bind marker cannot
 * stand there. A {@code $} not followed by <code>{</code>, and a <code>${</code> inside a
 * string or comment that does not form a reference, are ordinary text.
 *
 * <p>A {@code ?} already present in the SQL is left as it is; the driver will take it for a
 * bind marker too, so the positions of {@link #parameterNames()} match JDBC parameter indexes
 * only when the SQL has no {@code ?} of its own outside quotes and comments.
 *
 * <p>A template is parsed statement by statement: {@code ;} has no meaning here. To report
 * errors with the line numbers of a whole script, parse the whole script once to validate it,
 * then split it with {@link StatementSplitter} and parse each statement to run it.
 *
 * <p>Immutable and thread-safe.
 */
public final class SqlTemplate {

    private static final String SCRIPT_TEMPLATE_OPENING = "$((";

    private final String sql;
    private final List<String> parameterNames;

    private SqlTemplate(String sql, List<String> parameterNames) {
        this.sql = sql;
        this.parameterNames = parameterNames;
    }

    /**
     * Parses {@code sql} under the lexical rules of {@code dialect}.
     *
     * @throws SqlSyntaxException if a reference is malformed (an unclosed <code>${</code> or an
     *     invalid name) or stands inside a string, dollar-quoted body or quoted identifier, or if
     *     a quote, comment or dollar-quoted body is not closed; the message gives the line
     */
    public static SqlTemplate parse(String sql, SqlDialect dialect) {
        char[] text = sql.toCharArray();
        SqlLexer lexer = new SqlLexer(text, dialect);
        StringBuilder bound = new StringBuilder(text.length);
        List<String> names = new ArrayList<>();
        int copied = 0;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            switch (kind) {
                case TEMPLATE_REFERENCE -> {
                    int start = lexer.start();
                    int end = TemplateReferences.wellFormedEnd(text, start, lexer.end());
                    if (end < 0) {
                        throw new SqlSyntaxException(TemplateReferences.malformedMessage(text, start));
                    }
                    bound.append(text, copied, start - copied).append('?');
                    names.add(TemplateReferences.name(text, start, end));
                    copied = end;
                }
                case STRING -> refuseReferenceIn(text, lexer,
                        " is inside a quoted string on line %d: write it without quotes,"
                                + " it is bound as a parameter");
                case DOLLAR_QUOTED -> refuseReferenceIn(text, lexer,
                        " is inside a dollar-quoted body on line %d: a parameter cannot be bound there");
                case QUOTED_IDENTIFIER -> refuseReferenceIn(text, lexer,
                        " cannot be used as an identifier (line %d): it is bound as a value,"
                                + " never pasted into the SQL");
                default -> {
                }
            }
        }
        bound.append(text, copied, text.length - copied);
        return new SqlTemplate(bound.toString(), List.copyOf(names));
    }

    /**
     * The names of every well-formed {@code ${name}} in {@code text}, wherever it stands (in
     * quotes and comments too), in order of first appearance. Malformed references are ignored:
     * this finds names, it does not validate syntax.
     *
     * @return an unmodifiable set
     */
    public static Set<String> referencedNames(String text) {
        char[] chars = text.toCharArray();
        Set<String> names = new LinkedHashSet<>();
        for (int i = text.indexOf("${"); i >= 0; i = text.indexOf("${", i + 2)) {
            int end = TemplateReferences.wellFormedEnd(chars, i, chars.length);
            if (end > 0) {
                names.add(TemplateReferences.name(chars, i, end));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * Whether {@code text} uses the original product's JavaScript template syntax
     * {@code $((...))}, which this server does not support.
     */
    public static boolean containsScriptTemplate(String text) {
        return text.contains(SCRIPT_TEMPLATE_OPENING);
    }

    /** The SQL with a {@code ?} in place of each bound reference. */
    public String sql() {
        return sql;
    }

    /**
     * The name bound at each marker this template inserted, in order; a name appears once per
     * reference. Unmodifiable.
     */
    public List<String> parameterNames() {
        return parameterNames;
    }

    @Override
    public String toString() {
        return sql;
    }

    private static void refuseReferenceIn(char[] text, SqlLexer lexer, String problemFormat) {
        int reference = TemplateReferences.findFirst(text, lexer.start(), lexer.end());
        if (reference >= 0) {
            int end = TemplateReferences.wellFormedEnd(text, reference, lexer.end());
            String written = new String(text, reference, end - reference);
            throw new SqlSyntaxException(
                    written + String.format(problemFormat, SourceLines.lineAt(text, reference)));
        }
    }
}
