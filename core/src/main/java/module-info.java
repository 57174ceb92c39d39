/**
 * gpt4j's core: tokenizers, the GPT model, training, generation, fine-tuning, evaluation and
 * inspection, in pure Java. Start at {@link org.gpt4j.Gpt4j}: it loads a model directory or
 * trains one, and gives a {@link org.gpt4j.Model} that tokenizes and generates.
 *
 * <p>The exported packages are the library's surface. The kernels ({@code tensor}) and the
 * machine measurements ({@code perf}) are internal: their shapes follow the CPU and change
 * without notice. They are exported only to gpt4j's own modules (the command line, the servers,
 * the benchmarks and Spark training), which also run from the class path, where a module
 * descriptor does not apply.
 */
module org.gpt4j.core {
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires jdk.management;
    requires jdk.incubator.vector;

    exports org.gpt4j;
    exports org.gpt4j.evaluate;
    exports org.gpt4j.evaluate.code;
    exports org.gpt4j.fewshot;
    exports org.gpt4j.finetune;
    exports org.gpt4j.finetune.bert;
    exports org.gpt4j.finetune.instruct;
    exports org.gpt4j.finetune.lora;
    exports org.gpt4j.generate;
    exports org.gpt4j.generate.batch;
    exports org.gpt4j.inspect;
    exports org.gpt4j.io;
    exports org.gpt4j.model;
    exports org.gpt4j.rl;
    exports org.gpt4j.tokenizer;
    exports org.gpt4j.train;
}
