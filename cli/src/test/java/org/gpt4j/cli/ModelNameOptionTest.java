package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.io.ModelNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --model NAME} on every command that takes a model: a name resolves under the
 * installation's models/ (the launcher's {@code gpt4j.home}), and an unknown one is one error
 * line listing the models there are.
 */
class ModelNameOptionTest {

    @TempDir
    Path home;

    private String old;

    @BeforeEach
    void installTinyModel() {
        old = System.getProperty(ModelNames.HOME_PROPERTY);
        System.setProperty(ModelNames.HOME_PROPERTY, home.toString());
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "8", "--vocab", "30", "--context", "16", "--out", home.resolve("models/tiny").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @AfterEach
    void restore() {
        if (old == null) {
            System.clearProperty(ModelNames.HOME_PROPERTY);
        } else {
            System.setProperty(ModelNames.HOME_PROPERTY, old);
        }
    }

    @Test
    void aNameRunsTheModelUnderModels() {
        Cli.Result r = Cli.run("inspect", "--model", "tiny", "--tokens", "1,2,3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(home.resolve("models/tiny").toString());
        Cli.Result p = Cli.run("params", "--model", "tiny");
        assertThat(p.exitCode()).as(p.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"generate", "chat", "inspect", "eval", "evaluate-task", "classify", "params", "finetune", "fewshot",
        "studio", "train"})
    void anUnknownNameIsOneErrorListingTheModels(String command) throws Exception {
        Path tsv = Files.writeString(home.resolve("t.tsv"), "sentence\tlabel\na\tx\nb\ty\n");
        List<String> args = new ArrayList<>(List.of(command, command.equals("train") ? "--init-from" : "--model", "en-large"));
        switch (command) {
            case "generate", "inspect" -> args.addAll(List.of("--tokens", "1"));
            case "eval" -> args.addAll(List.of("--data", tsv.toString()));
            case "evaluate-task" -> args.addAll(List.of("--data", tsv.toString()));
            case "classify" -> args.addAll(List.of("--text", "a"));
            case "finetune" -> args.addAll(List.of("--task", "classification", "--train", tsv.toString(), "--dev", tsv.toString(),
                    "--out", home.resolve("out").toString()));
            case "fewshot" -> args.addAll(List.of("--train", tsv.toString(), "--data", tsv.toString()));
            case "studio" -> args.addAll(List.of("--port", "0"));
            case "train" -> args.addAll(List.of("--data", tsv.toString(), "--out", home.resolve("run").toString()));
            default -> { }
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: en-large: no such model directory, and no model of that name under any of ["
                + home.resolve("models").toAbsolutePath() + ", " + Path.of("models").toAbsolutePath() + "]; the named models are tiny");
    }
}
