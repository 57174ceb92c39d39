package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baseline}: the JSON it promises on a separable toy set, and one error line for a bad file. */
class BaselineCommandTest {

    @TempDir
    Path tmp;

    @Test
    void scoresTheDevFileLikeEvaluateTask() throws Exception {
        Path train = Files.writeString(tmp.resolve("train.tsv"),
                "sentence\tlabel\na fine film\tgood\nfine acting\tgood\na dull film\tbad\ndull plot\tbad\n");
        Path dev = Files.writeString(tmp.resolve("dev.tsv"), "sentence\tlabel\nfine fine\tgood\ndull\tbad\nfine but dull plot\tbad\n");
        Cli.Result r = Cli.run("baseline", "--train", train.toString(), "--data", dev.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("n").asInt()).isEqualTo(3);
        assertThat(n.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(n.get("labels").toString()).isEqualTo("[\"bad\",\"good\"]");
        assertThat(n.get("confusion").toString()).isEqualTo("[[2,0],[0,1]]");
    }

    @Test
    void aBadRowIsOneErrorNamingFileAndLine() throws Exception {
        Path train = Files.writeString(tmp.resolve("train.tsv"), "sentence\tlabel\nfine\tgood\nno label\n");
        Cli.Result r = Cli.run("baseline", "--train", train.toString(), "--data", train.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("train.tsv").contains("3");
    }
}
