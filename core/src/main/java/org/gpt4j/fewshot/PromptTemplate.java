package org.gpt4j.fewshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one example becomes prompt text: {@code "Review: {text}\nSentiment:"}. A {@code {name}}
 * placeholder is replaced by the example's field of that name ({@code text}, {@code premise}, ...);
 * a doubled brace is one literal brace, and any other brace is literal too. The escapes
 * {@code \n}, {@code \t} and {@code \\} are read as a newline, a tab and a backslash, so a template
 * typed on a shell command line needs no real line breaks; any other backslash stays as written.
 *
 * <p>The template renders the input only; the answer (a label's verbaliser, a choice) follows it
 * directly, so the template normally ends without a space and each answer starts with one (" positive"),
 * as GPT-2's byte-level BPE spells a word after a space.
 */
public final class PromptTemplate {

    /** What stands in for every field in the content-free input of contextual calibration. */
    public static final String CONTENT_FREE = "N/A";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String source;
    /** Literal text and field names, alternating: literal, field, literal, ..., literal. */
    private final List<String> parts;

    private PromptTemplate(String source, List<String> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Reads a template as typed (escapes and placeholders as described above). */
    public static PromptTemplate parse(String typed) {
        if (typed == null || typed.isEmpty()) {
            throw new IllegalArgumentException("the template is empty: it needs at least one {field}, e.g. \"{text}\\nLabel:\"");
        }
        String s = unescape(typed);
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(s);
        int at = 0;
        while (m.find()) {
            literal.append(s, at, m.start());
            if (m.group(1) == null) {
                literal.append(m.group().charAt(0));
            } else {
                parts.add(literal.toString());
                parts.add(m.group(1));
                literal.setLength(0);
            }
            at = m.end();
        }
        literal.append(s.substring(at));
        parts.add(literal.toString());
        if (parts.size() == 1) {
            throw new IllegalArgumentException("the template \"" + typed + "\" has no {field}: write where the example goes,"
                    + " e.g. \"Review: {text}\\nSentiment:\"");
        }
        return new PromptTemplate(typed, parts);
    }

    /** Reads the escapes {@code \n}, {@code \t} and {@code \\}; other backslashes stay. */
    public static String unescape(String typed) {
        StringBuilder b = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '\\' && i + 1 < typed.length()) {
                char n = typed.charAt(i + 1);
                switch (n) {
                    case 'n' -> { b.append('\n'); i++; }
                    case 't' -> { b.append('\t'); i++; }
                    case '\\' -> { b.append('\\'); i++; }
                    default -> b.append(c);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The template as typed. */
    public String source() {
        return source;
    }

    /** The field names it reads, in order of first use. */
    public Set<String> fields() {
        Set<String> f = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            f.add(parts.get(i));
        }
        return f;
    }

    /** The text for one example. */
    public String render(Map<String, String> fields) {
        StringBuilder b = new StringBuilder(source.length() + 64);
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                b.append(parts.get(i));
            } else {
                String v = fields.get(parts.get(i));
                if (v == null) {
                    throw new IllegalArgumentException("the example has no field {" + parts.get(i) + "}");
                }
                b.append(v);
            }
        }
        return b.toString();
    }

    /** The content-free input (Zhao et al. 2021): every field replaced by {@value #CONTENT_FREE}. */
    public String renderContentFree() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            b.append(i % 2 == 0 ? parts.get(i) : CONTENT_FREE);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
