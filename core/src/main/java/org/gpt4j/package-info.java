/**
 * gpt4j as a Java library: the small surface for applications.
 *
 * <p>{@link org.gpt4j.Gpt4j} loads a model directory ({@link org.gpt4j.Gpt4j#load}) or trains a
 * small GPT on text files ({@link org.gpt4j.Gpt4j#train}); the {@link org.gpt4j.Model} it returns
 * tokenizes, generates with a {@link org.gpt4j.generate.GenerationConfig} and streams text as it is
 * generated. Everything here is a thin layer over the packages the {@code gpt4j} command uses
 * ({@code io}, {@code tokenizer}, {@code generate}, {@code train}), so a program gets exactly the
 * command's results.
 *
 * <pre>{@code
 * Model model = Gpt4j.load(Path.of("runs/shakespeare"));
 * GenerationConfig config = GenerationConfig.builder().maxNewTokens(100).doSample(true).temperature(0.8).seed(1).build();
 * String text = model.generate("ROMEO:", config);
 * model.generate("JULIET:", config, System.out::print);   // streams the text as it is generated
 * }</pre>
 */
package org.gpt4j;
