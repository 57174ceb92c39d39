package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.model.PositionalEncoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: Debian's headless chromium opens the studio and goes through every view (and the
 * language switch and bad input), failing on any console error. Screenshots are kept under
 * {@code server/target/studio-screenshots/} as the test's artefacts.
 */
class StudioBrowserTest {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog. The quick brown fox";

    @TempDir
    static Path temp;

    private static StudioServer server;
    private static Chromium browser;
    private static Path shots;

    @BeforeAll
    static void start() throws Exception {
        Path model = TestModels.tiny(temp.resolve("runs/demo"), PositionalEncoding.LEARNED);
        TestModels.metrics(model);
        server = StudioServer.start(Studio.open(model), "127.0.0.1", 0);
        shots = Path.of(System.getProperty("studio.screenshots", "target/studio-screenshots"));
        Files.createDirectories(shots);
        browser = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void open(String view) throws Exception {
        browser.eval("document.body.dataset.rendered = ''; document.querySelector('#tabs [data-view=" + view + "]').click()");
        settle(view);
    }

    /** Waits until the view is drawn and no request is pending. */
    private void settle(String view) throws Exception {
        browser.waitFor("document.body && document.body.dataset.rendered === '" + view + "' && document.body.dataset.busy === '0'");
    }

    private int count(String selector) throws Exception {
        return browser.eval("document.querySelectorAll('" + selector + "').length").asInt();
    }

    private void shoot(String name) throws Exception {
        browser.screenshot(shots.resolve(name + ".png"));
        assertThat(shots.resolve(name + ".png")).isNotEmptyFile();
    }

    @Test
    void everyViewRendersWithoutConsoleErrorsInBothLanguages() throws Exception {
        browser.navigate(server.url() + "?text=" + java.net.URLEncoder.encode(TEXT, java.nio.charset.StandardCharsets.UTF_8));
        settle("architecture");
        assertThat(count("#arch-flow .stage")).isGreaterThan(10);
        assertThat(browser.eval("document.getElementById('error').hidden").asBoolean()).isTrue();
        shoot("a-architecture");

        open("tokens");
        assertThat(count("#token-chips .tok")).isEqualTo(14);
        shoot("b-tokens");

        open("attention");
        assertThat(count("#att-grid canvas")).isEqualTo(4);
        browser.eval("document.body.dataset.rendered = ''; document.querySelector('#att-grid canvas[data-layer=\"1\"][data-head=\"1\"]').click()");
        settle("attention");
        assertThat(browser.eval("document.querySelector('#att-grid canvas.selected').dataset.layer").asText()).isEqualTo("1");
        assertThat(count("#att-steps canvas")).isEqualTo(4);
        assertThat(count("#att-grid-legend")).isEqualTo(1);
        // The detail heatmap is drawn with axes and a colour bar: wider than its cells alone.
        assertThat(browser.eval("document.getElementById('att-detail').width").asInt()).isGreaterThan(14 * 22 + 66 + 70);
        shoot("c-attention");
        browser.eval("document.body.dataset.rendered = ''; document.getElementById('att-row-normalise').click()");
        settle("attention");
        assertThat(browser.eval("document.getElementById('att-row-normalise').checked").asBoolean()).isTrue();
        shoot("c-attention-per-row");

        open("positions");
        assertThat(count("#pos-table")).isEqualTo(1);
        assertThat(count("#pos-side-by-side canvas")).isEqualTo(2);
        shoot("d-positions");

        open("embeddings");
        assertThat(count("#emb-scatter")).isEqualTo(1);
        browser.eval("document.body.dataset.rendered = ''; document.querySelector('[data-method=tsne]').click()");
        settle("embeddings");
        assertThat(count("#emb-neighbours tr")).isGreaterThan(4);
        shoot("e-embeddings-tsne");

        open("generation");
        assertThat(count("#gen-candidates .bar")).isGreaterThan(4);
        assertThat(count("#gen-lens tr")).isEqualTo(3);
        shoot("f-generation");

        open("training");
        assertThat(count("#train-curves")).isEqualTo(1);
        // The loss chart fills the card's width.
        assertThat(browser.eval("document.getElementById('train-curves').width / document.getElementById('view').clientWidth")
                .asDouble()).isGreaterThan(0.9);
        assertThat(browser.eval("document.getElementById('train-samples').textContent").asText()).contains("To be, or not 40");
        shoot("g-training");

        browser.eval("document.body.dataset.rendered = ''; document.getElementById('lang').click()");
        settle("training");
        open("architecture");
        assertThat(browser.eval("document.querySelector('[data-stage=wte] .name').textContent").asText()).isEqualTo("词元嵌入");
        assertThat(browser.eval("document.querySelector('[data-stage=blocks], #arch-block .block-title').textContent").asText())
                .contains("一个解码器块的内部");
        assertThat(browser.eval("[...document.fonts].some(f => f.family.includes('gpt4j CJK') && f.status === 'loaded')")
                .asBoolean()).as("the studio's own CJK font loaded").isTrue();
        shoot("a-architecture-zh");
        open("attention");
        assertThat(browser.eval("document.querySelector('#tabs [data-view=attention]').textContent").asText()).isEqualTo("注意力");
        shoot("c-attention-zh");
        browser.eval("document.getElementById('lang').click()");

        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void aBertShowsItsEncoderAttentionBothWaysAndMaskedWords() throws Exception {
        Path bert = TestModels.bert(temp.resolve("bert"));
        try (StudioServer s = StudioServer.start(Studio.open(bert), "127.0.0.1", 0)) {
            browser.eval("document.body.dataset.rendered = 'leaving'");
            browser.navigate(s.url() + "?text=" + java.net.URLEncoder.encode("the quick brown fox jumps over the lazy dog .",
                    java.nio.charset.StandardCharsets.UTF_8));
            settle("architecture");
            assertThat(count("#arch-flow [data-stage=wtt]")).as("the segment embedding").isEqualTo(1);
            assertThat(count("#arch-block")).isEqualTo(1);
            assertThat(browser.eval("document.querySelector('#arch-block .block-title').textContent").asText()).contains("encoder block");
            assertThat(browser.eval("document.querySelector('#tabs [data-view=generation]').hidden").asBoolean()).isTrue();
            assertThat(browser.eval("document.querySelector('#tabs [data-view=masked]').hidden").asBoolean()).isFalse();
            assertThat(browser.eval("document.getElementById('model-summary').textContent").asText()).contains("BERT");
            shoot("h-bert-architecture");

            open("attention");
            assertThat(count("#att-grid canvas")).isEqualTo(4);
            browser.eval("document.body.dataset.rendered = ''; document.querySelector('#att-grid canvas[data-layer=\"1\"][data-head=\"0\"]').click()");
            settle("attention");
            assertThat(count("#att-steps canvas")).isEqualTo(4);
            assertThat(browser.eval("document.querySelector('#att-steps figure:nth-of-type(3) figcaption').textContent").asText())
                    .isEqualTo("no causal mask");
            shoot("h-bert-attention");

            open("embeddings");
            assertThat(count("#emb-scatter")).isEqualTo(1);
            shoot("h-bert-hidden-states");

            open("masked");
            assertThat(count("#masked-tokens button")).isEqualTo(12);
            assertThat(count("#masked-candidates tr")).isEqualTo(10);
            browser.eval("document.body.dataset.rendered = ''; document.querySelector('#masked-tokens [data-position=\"4\"]').click()");
            settle("masked");
            assertThat(browser.eval("document.querySelector('#masked-tokens .masked').dataset.position").asText()).isEqualTo("4");
            assertThat(browser.eval("document.querySelector('#masked-tokens .masked').textContent").asText()).isEqualTo("[MASK]");
            assertThat(browser.eval("document.getElementById('masked-original').textContent").asText()).contains("fox");
            shoot("h-bert-masked");

            browser.eval("document.body.dataset.rendered = ''; document.getElementById('lang').click()");
            settle("masked");
            assertThat(browser.eval("document.querySelector('#tabs [data-view=masked]').textContent").asText()).isEqualTo("遮蔽词");
            shoot("h-bert-masked-zh");
            browser.eval("document.body.dataset.rendered = ''; document.getElementById('lang').click()");
            settle("masked");
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void theAddressHoldsTheViewAndTheInputBothWays() throws Exception {
        browser.navigate(server.url() + "?view=attention&text=Hello%20world%2C%20hello");
        settle("attention");
        assertThat(browser.eval("document.getElementById('text').value").asText()).isEqualTo("Hello world, hello");
        assertThat(browser.eval("document.querySelector('#tabs button.active').dataset.view").asText()).isEqualTo("attention");
        assertThat(browser.eval("document.getElementById('token-count').textContent").asText()).startsWith("4 tokens");
        assertThat(count("#att-detail")).isEqualTo(1);

        open("positions");
        assertThat(browser.eval("location.search").asText()).isEqualTo("?view=positions&text=Hello+world%2C+hello");
        browser.eval("document.body.dataset.rendered = ''; (() => { const box = document.getElementById('text');"
                + "box.value = 'A fox'; box.dispatchEvent(new Event('input')); })()");
        settle("positions");
        assertThat(browser.eval("location.search").asText()).isEqualTo("?view=positions&text=A+fox");
        // What the address says is what a reload shows.
        browser.navigate(browser.eval("location.href").asText());
        settle("positions");
        assertThat(browser.eval("document.getElementById('text').value").asText()).isEqualTo("A fox");
        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void aModelWithoutATokenizerTakesTokenIdsAndHasNoTrainingHistory() throws Exception {
        Path work = Files.createDirectories(temp.resolve("bare-work"));
        Path other = TestModels.tiny(work.resolve("runs/trained"), PositionalEncoding.LEARNED);
        TestModels.metrics(other);
        Path bare = TestModels.withoutTokenizer(work.resolve("runs/bare"));
        try (StudioServer s = StudioServer.start(Studio.open(bare), "127.0.0.1", 0)) {
            browser.navigate(s.url());
            settle("architecture");
            browser.clearErrors();
            assertThat(browser.eval("document.getElementById('input-label').textContent").asText()).isEqualTo("Token ids");
            assertThat(browser.eval("document.getElementById('text').value").asText()).isEqualTo("5,17,3,42,8,5,17,3");
            assertThat(browser.eval("document.getElementById('error').hidden").asBoolean()).isTrue();
            assertThat(count("#arch-flow .stage")).isGreaterThan(10);
            assertThat(browser.eval("document.getElementById('token-count').textContent").asText()).startsWith("8 tokens");
            shoot("h-no-tokenizer-architecture");

            open("attention");
            assertThat(count("#att-grid canvas")).isEqualTo(4);
            assertThat(browser.eval("location.search").asText()).isEqualTo("?view=attention&tokens=5%2C17%2C3%2C42%2C8%2C5%2C17%2C3");
            shoot("h-no-tokenizer-attention");

            open("generation");
            assertThat(browser.eval("document.getElementById('gen-text').textContent").asText()).startsWith("#5 #17 #3 #42");
            shoot("h-no-tokenizer-generation");

            open("training");
            assertThat(count("#train-curves")).isZero();
            assertThat(browser.eval("document.getElementById('train-none').textContent").asText())
                    .contains("This model has no training history");

            // An id outside the vocabulary: one clear message; the architecture still draws.
            open("architecture");
            browser.eval("document.body.dataset.rendered = ''; (() => { const box = document.getElementById('text');"
                    + "box.value = '5, 17, 300'; box.dispatchEvent(new Event('input')); })()");
            settle("architecture");
            assertThat(browser.eval("document.getElementById('error').textContent").asText())
                    .contains("id 300 (item 3) is outside the vocabulary (0..99)");
            assertThat(count("#arch-flow .stage")).isGreaterThan(10);
            assertThat(browser.eval("document.getElementById('token-count').textContent").asText()).startsWith("–");
            shoot("h-no-tokenizer-bad-id");
            browser.clearErrors();
        }
    }

    @Test
    void aPpoRunShowsItsRewardKlAndScoredSamples() throws Exception {
        Path run = temp.resolve("runs/ppo");
        TestModels.ppoMetrics(run);
        browser.navigate(server.url() + "?view=training");
        settle("training");
        browser.eval("document.body.dataset.rendered = ''; document.getElementById('train-run').value = '"
                + run.toString().replace("'", "\\'") + "'; document.getElementById('train-refresh').click()");
        settle("training");
        assertThat(count("#train-curves")).as("no loss chart for a run without losses").isZero();
        assertThat(count("#ppo-reward")).isEqualTo(1);
        assertThat(count("#ppo-kl")).isEqualTo(1);
        assertThat(count("#ppo-clip")).isEqualTo(1);
        assertThat(browser.eval("document.getElementById('train-samples').textContent").asText())
                .contains("This film was great fun 20").contains("2.00");
        shoot("g-training-ppo");
        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void withoutAModelThePageListsTheStepsToMakeOne() throws Exception {
        try (StudioServer s = StudioServer.start(Studio.openMostRecent(Files.createDirectories(temp.resolve("empty"))),
                "127.0.0.1", 0)) {
            browser.navigate(s.url());
            settle("architecture");
            assertThat(count("#welcome ol li")).isEqualTo(3);
            assertThat(browser.eval("document.querySelector('#welcome ol li code').textContent").asText())
                    .isEqualTo("./gpt4j init --layers 4 --heads 4 --embd 128 --context 256 --out runs/demo");
            shoot("w-no-model");
            assertThat(browser.errors()).isEmpty();
        }
    }

    /**
     * The Chinese interface on a machine with no CJK font: chromium sees only DejaVu (a fontconfig
     * of its own), so every Chinese character on the page comes from the studio's web font. A
     * character drawn in no font is as wide as the fallback box; in the web font, a full em.
     */
    @Test
    void chineseRendersWithTheStudiosOwnFontWhenTheSystemHasNone() throws Exception {
        Path conf = temp.resolve("fonts.conf");
        Files.writeString(conf, """
                <?xml version="1.0"?>
                <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
                <fontconfig>
                  <dir>/usr/share/fonts/truetype/dejavu</dir>
                  <cachedir>%s</cachedir>
                </fontconfig>
                """.formatted(temp.resolve("fontconfig-cache")));
        try (Chromium bare = Chromium.launch(java.util.Map.of("FONTCONFIG_FILE", conf.toString()))) {
            bare.navigate(server.url() + "?view=attention");
            bare.waitFor("document.body && document.body.dataset.rendered === 'attention' && document.body.dataset.busy === '0'");
            if (!"zh".equals(bare.eval("localStorage.getItem('gpt4j.lang')").asText())) {
                bare.eval("document.body.dataset.rendered = ''; document.getElementById('lang').click()");
                bare.waitFor("document.body.dataset.rendered === 'attention' && document.body.dataset.busy === '0'");
            }
            bare.waitFor("document.querySelector('#tabs [data-view=attention]').textContent === '注意力'");
            bare.waitFor("[...document.fonts].some(f => f.family.includes('gpt4j CJK') && f.status === 'loaded')");
            // The system has no glyph for these: the web font's make them a square em each.
            String width = "(() => { const g = document.createElement('canvas').getContext('2d'); g.font = '20px %s';"
                    + " return g.measureText('注意力位置编码').width; })()";
            double own = bare.eval(width.formatted("\\\"gpt4j CJK\\\", sans-serif")).asDouble();
            assertThat(own).as("7 ideographs at 20px in the studio's font").isBetween(7 * 19.0, 7 * 21.0);
            bare.screenshot(shots.resolve("z-chinese-without-system-fonts.png"));
            assertThat(bare.errors()).isEmpty();
        }
    }

    @Test
    void badInputShowsAClearMessageAndNothingElseFails() throws Exception {
        browser.navigate(server.url());
        settle("architecture");
        browser.clearErrors();
        // 100 words: well past the 64-token context.
        browser.eval("document.body.dataset.rendered = ''; (() => { const box = document.getElementById('text');"
                + "box.value = 'word '.repeat(100); box.dispatchEvent(new Event('input')); })()");
        settle("architecture");
        assertThat(browser.eval("document.getElementById('error').hidden").asBoolean()).isFalse();
        assertThat(browser.eval("document.getElementById('error').textContent").asText()).contains("longer than this model's context of 64");
        shoot("x-error-too-long");

        browser.eval("document.body.dataset.rendered = ''; document.getElementById('model-path').value = 'runs/missing';"
                + "document.querySelector('#model-form button').click()");
        browser.waitFor("document.getElementById('error').textContent.includes('no model at')");
        // The only errors are the browser's own notes of the refused requests (HTTP 400 and 404).
        List<String> errors = browser.errors();
        assertThat(errors).isNotEmpty().allMatch(e -> e.startsWith("log(network)") && e.contains("/api/"));
        browser.clearErrors();
    }
}
