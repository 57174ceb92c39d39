package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.BertOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init --arch bert}, {@code fill-mask}, {@code embed} and {@code inspect} on a small BERT with a vocab.txt. */
class BertCommandsTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "man", "went", "to", "store", ".", "a", "dog", "ran", "##s", "home");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void initBert() throws Exception {
        model = TinyBert.init(tmp, VOCAB, 8);
    }

    @Test
    void initWritesABertForPreTrainingDirectory() throws Exception {
        JsonNode config = JSON.readTree(model.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("bert");
        assertThat(config.get("hidden_size").asInt()).isEqualTo(8);
        assertThat(config.get("max_position_embeddings").asInt()).isEqualTo(32);
        assertThat(model.resolve("vocab.txt")).exists();
        assertThat(BertDirectory.load(model).config().numHiddenLayers()).isEqualTo(2);
    }

    @Test
    void fillMaskJsonListsTopKCandidatesPerMaskWithTheModelsProbabilities() throws Exception {
        Cli.Result r = Cli.run("fill-mask", "--model", model.toString(), "--text", "The man went to the [MASK].",
                "--top-k", "3", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        // [CLS] the man went to the [MASK] . [SEP]
        assertThat(json.get("tokens").toString()).isEqualTo("[2,5,6,7,8,5,4,10,3]");
        JsonNode masks = json.get("masks");
        assertThat(masks.size()).isEqualTo(1);
        assertThat(masks.get(0).get("position").asInt()).isEqualTo(6);
        JsonNode cands = masks.get(0).get("candidates");
        assertThat(cands.size()).isEqualTo(3);
        // The probabilities are the softmax of the model's own MLM logits at the mask.
        Bert bert = BertDirectory.load(model);
        int[] ids = {2, 5, 6, 7, 8, 5, 4, 10, 3};
        BertOutput out = bert.forward(BertInput.of(1, ids.length, ids));
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int v = 0; v < 16; v++) {
            max = Math.max(max, out.mlmLogit(6, v));
        }
        for (int v = 0; v < 16; v++) {
            sum += Math.exp(out.mlmLogit(6, v) - max);
        }
        int best = cands.get(0).get("id").asInt();
        assertThat(cands.get(0).get("probability").asDouble()).isCloseTo(Math.exp(out.mlmLogit(6, best) - max) / sum,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(cands.get(0).get("probability").asDouble()).isGreaterThanOrEqualTo(cands.get(1).get("probability").asDouble());
        assertThat(cands.get(0).get("token").asText()).isEqualTo(VOCAB.get(best));
    }

    @Test
    void fillMaskWithoutAMaskIsOneClearError() {
        Cli.Result r = Cli.run("fill-mask", "--model", model.toString(), "--text", "the man went home");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no [MASK]").doesNotContain("Exception");
    }

    @Test
    void fillMaskOnAGptDirectoryNamesConfigJson() {
        Path gpt = tmp.resolve("gpt");
        assertThat(Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--vocab", "16", "--context", "8",
                "--out", gpt.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("fill-mask", "--model", gpt.toString(), "--text", "[MASK]");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("config.json").contains("not a BERT");
    }

    @Test
    void textPrintsCandidates() {
        Cli.Result r = Cli.run("fill-mask", "--model", model.toString(), "--text", "a [MASK] ran home", "--top-k", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("[MASK] at position 2").contains("%");
    }

    @Test
    void embedGivesOneVectorPerTextPooledAsAsked() throws Exception {
        Cli.Result r = Cli.run("embed", "--model", model.toString(), "--text", "the man went home", "--text", "a dog",
                "--pooling", "mean", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("pooling").asText()).isEqualTo("mean");
        assertThat(json.get("dimension").asInt()).isEqualTo(8);
        JsonNode e = json.get("embeddings");
        assertThat(e.size()).isEqualTo(2);
        assertThat(e.get(1).get("tokens").asInt()).isEqualTo(4);
        // The padded second text embeds as it would alone: padding is masked out.
        Cli.Result alone = Cli.run("embed", "--model", model.toString(), "--text", "a dog", "--pooling", "mean", "--json");
        JsonNode single = JSON.readTree(alone.out()).get("embeddings").get(0).get("vector");
        for (int i = 0; i < 8; i++) {
            assertThat(e.get(1).get("vector").get(i).asDouble()).isCloseTo(single.get(i).asDouble(),
                    org.assertj.core.data.Offset.offset(1e-5));
        }
        Cli.Result cls = Cli.run("embed", "--model", model.toString(), "--text", "a dog", "--json");
        assertThat(JSON.readTree(cls.out()).get("embeddings").get(0).get("vector").toString()).isNotEqualTo(single.toString());
    }

    @Test
    void embedRejectsAnUnknownPooling() {
        Cli.Result r = Cli.run("embed", "--model", model.toString(), "--text", "a", "--pooling", "max");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unknown pooling 'max'");
    }

    @Test
    void inspectJsonOnABertHasHuggingFacesOutputsInTheirShapes() throws Exception {
        Cli.Result r = Cli.run("inspect", "--model", model.toString(), "--tokens", "2,6,3,12,3", "--token-types", "0,0,0,1,1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("tokens").toString()).isEqualTo("[2,6,3,12,3]");
        assertThat(json.get("token_type_ids").toString()).isEqualTo("[0,0,0,1,1]");
        assertThat(json.get("logits").size()).isEqualTo(5);
        assertThat(json.get("logits").get(4).size()).isEqualTo(16);
        assertThat(json.get("seq_relationship_logits").size()).isEqualTo(2);
        JsonNode att = json.get("attentions");
        assertThat(att.size()).isEqualTo(2);
        assertThat(att.get(1).size()).isEqualTo(2);
        // Bidirectional: the first position attends to the last, and each row sums to one.
        JsonNode row = att.get(0).get(1).get(0);
        assertThat(row.get(4).asDouble()).isGreaterThan(0.0);
        double sum = 0;
        for (JsonNode p : row) {
            sum += p.asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(json.get("hidden_states").size()).isEqualTo(3);
        assertThat(json.get("hidden_states").get(2).get(4).size()).isEqualTo(8);
        // Segment ids change the result.
        Cli.Result zeros = Cli.run("inspect", "--model", model.toString(), "--tokens", "2,6,3,12,3", "--json");
        assertThat(JSON.readTree(zeros.out()).get("seq_relationship_logits").toString())
                .isNotEqualTo(json.get("seq_relationship_logits").toString());
    }

    @Test
    void inspectTextOnABertAddsClsAndSepAndShowsTheMask() {
        Cli.Result r = Cli.run("inspect", "--model", model.toString(), "--text", "the [MASK] ran", "--pair", "a dog");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("'[CLS]'/0").contains("'dog'/1").contains("[MASK] at 2").contains("next sentence");
    }

    @Test
    void tokenTypesOfTheWrongLengthAreOneClearError() {
        Cli.Result r = Cli.run("inspect", "--model", model.toString(), "--tokens", "2,6,3", "--token-types", "0,1", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--token-types has 2 values but the input is 3 tokens");
    }
}
