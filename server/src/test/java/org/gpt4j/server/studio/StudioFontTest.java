package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Chinese interface's own font (Noto Sans CJK SC cut to the interface's characters) stays in
 * step with the interface: every character the stylesheet sends to it (its {@code unicode-range})
 * that i18n.js or index.html shows is in the font, and the font holds no CJK character they no
 * longer show. The font's coverage is read from the record that
 * {@code tools/studio-font/subset-cjk-font.py} writes from the font's cmap beside it, and the record
 * names the font's SHA-256, so a font and a record from different runs are caught too.
 */
class StudioFontTest {

    private static final String REGENERATE = "run /usr/bin/python3 tools/studio-font/subset-cjk-font.py "
            + "(apt-get install -y fonts-noto-cjk python3-fonttools python3-brotli)";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StudioFontTest.class.getResourceAsStream("web/" + name)) {
            assertThat(in).as("web/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String text(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    /** The code-point ranges of the stylesheet's @font-face for the CJK font. */
    private static int[][] unicodeRanges() throws IOException {
        Matcher face = Pattern.compile("unicode-range:([^;]+);").matcher(text("studio.css"));
        assertThat(face.find()).as("studio.css has a unicode-range for the CJK font").isTrue();
        String[] parts = face.group(1).split(",");
        int[][] ranges = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            String[] ends = parts[i].trim().substring(2).split("-");
            ranges[i] = new int[] {Integer.parseInt(ends[0], 16), Integer.parseInt(ends[ends.length - 1], 16)};
        }
        return ranges;
    }

    private static boolean inRanges(int cp, int[][] ranges) {
        for (int[] r : ranges) {
            if (cp >= r[0] && cp <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** The code points the record says the font covers. */
    private static TreeSet<Integer> covered() throws IOException {
        TreeSet<Integer> out = new TreeSet<>();
        for (String line : text("noto-sans-sc-subset.chars").split("\n")) {
            if (line.startsWith("U+")) {
                out.add(Integer.parseInt(line.substring(2, line.indexOf(' ')), 16));
            }
        }
        return out;
    }

    @Test
    void theFontCoversExactlyTheCjkCharactersTheInterfaceShows() throws IOException {
        int[][] ranges = unicodeRanges();
        TreeSet<Integer> shown = new TreeSet<>();
        (text("i18n.js") + text("index.html")).codePoints().filter(cp -> inRanges(cp, ranges)).forEach(shown::add);
        assertThat(shown).as("the Chinese strings").hasSizeGreaterThan(100);
        TreeSet<Integer> inFont = new TreeSet<>(covered());
        inFont.removeIf(cp -> !inRanges(cp, ranges));

        TreeSet<Integer> missing = new TreeSet<>(shown);
        missing.removeAll(inFont);
        assertThat(chars(missing)).as("characters of i18n.js missing from the font: " + REGENERATE).isEmpty();
        TreeSet<Integer> stale = new TreeSet<>(inFont);
        stale.removeAll(shown);
        assertThat(chars(stale)).as("characters in the font that the interface no longer shows: " + REGENERATE).isEmpty();
    }

    @Test
    void theRecordDescribesTheShippedFont() throws Exception {
        byte[] font = resource(StaticAssets.FONT);
        assertThat(new String(font, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("wOF2");
        assertThat(font.length).as("a subset, not the whole 16 MB font").isLessThan(200_000);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(font));
        assertThat(text("noto-sans-sc-subset.chars")).as("the record was written for this font: " + REGENERATE)
                .contains("# sha256 " + sha + "\n");
        assertThat(covered()).contains((int) '注', (int) '意', (int) '力', (int) '，');
        assertThat(text("OFL.txt")).contains("SIL OPEN FONT LICENSE Version 1.1").contains("Adobe");
    }

    private static String chars(TreeSet<Integer> cps) {
        StringBuilder s = new StringBuilder();
        cps.forEach(s::appendCodePoint);
        return s.toString();
    }
}
