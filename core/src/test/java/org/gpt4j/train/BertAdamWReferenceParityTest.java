package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.BertFixture;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.model.Bert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three AdamW steps on BERT's MLM + NSP loss agree with torch.optim.AdamW in float64
 * (tools/reference/bert_reference.py): the losses to 1e-5 relative and every weight after the
 * last step to 1e-4, compared in Hugging Face's names after a save (so the writer is checked too).
 */
class BertAdamWReferenceParityTest {

    @TempDir
    Path tmp;

    @Test
    void threeAdamWStepsOnMlmAndNspMatchPyTorchReference() throws IOException {
        BertFixture fx = BertFixture.load();
        JsonNode run = new ObjectMapper().readTree(fx.dir().resolve("adamw.json").toFile());
        JsonNode hp = run.get("hyper_parameters");
        Bert bert = BertDirectory.load(fx.dir());
        AdamW adamw = new AdamW(bert.parameters(), hp.get("beta1").asDouble(), hp.get("beta2").asDouble(),
                hp.get("eps").asDouble(), hp.get("weight_decay").asDouble());
        double lossError = 0;
        for (int s = 0; s < hp.get("steps").asInt(); s++) {
            bert.parameters().zeroGrad();
            float loss = bert.forward(fx.input(), fx.mlmLabels(), fx.nspLabels()).loss();
            bert.backward();
            adamw.step(hp.get("lr").asDouble());
            double expected = run.get("loss").get(s).asDouble();
            lossError = Math.max(lossError, Math.abs(loss - expected) / expected);
        }
        BertDirectory.save(bert, tmp);
        double weightError = 0;
        String worst = "";
        try (SafetensorsFile saved = SafetensorsFile.open(tmp.resolve("model.safetensors"));
             SafetensorsFile ref = SafetensorsFile.open(fx.dir().resolve("adamw-final.safetensors"))) {
            assertThat(saved.names()).isEqualTo(ref.names());
            for (String name : ref.names()) {
                float[] expected = ref.readFloats(name);
                float[] actual = saved.readFloats(name);
                for (int i = 0; i < expected.length; i++) {
                    double e = Math.abs(actual[i] - expected[i]);
                    if (e > weightError) {
                        weightError = e;
                        worst = name + "[" + i + "]";
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "parity bert-pairs adamw  losses %.2e (relative)  final weights %.2e (%s)%n",
                lossError, weightError, worst);
        assertThat(lossError).as("losses").isLessThan(1e-5);
        assertThat(weightError).as("final weights").isLessThan(1e-4);
    }
}
