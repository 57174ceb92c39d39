package org.gpt4j.finetune.instruct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * How well a model follows instructions: the loss on the assistant's tokens, and exact match.
 *
 * <p><b>Exact match.</b> For each conversation the model reads every message but the last, in its
 * {@link ChatFormat}, and writes a reply by greedy decoding until its end of turn ({@code <|end|>}
 * with a chat template; a newline or {@code <|endoftext|>} in a plain transcript) or
 * {@link #EXTRA_TOKENS} tokens past the expected answer's length. The reply counts when, with
 * surrounding whitespace trimmed, it equals the last (assistant) message exactly.
 */
public final class InstructionEvaluator {

    /** Tokens a reply may run past the expected answer's length before it is cut off (it is wrong by then). */
    public static final int EXTRA_TOKENS = 16;

    /** One conversation's outcome. */
    public record Prediction(List<Message> context, String expected, String generated, boolean correct) {
    }

    /** The share of exact answers over {@code n} conversations, and each outcome in input order. */
    public record ExactMatch(double exactMatch, int n, List<Prediction> predictions) {
    }

    private InstructionEvaluator() {
    }

    /** Greedy exact match of the model in this format over the examples. */
    public static ExactMatch exactMatch(Gpt gpt, Tokenizer tokenizer, ChatFormat format, List<InstructionExample> examples) {
        gpt.setTraining(false, 0);
        Generator generator = new Generator(gpt, tokenizer::tokenBytes);
        GenerationConfig base = GenerationConfig.builder().eosTokenId(format.endOfTurn())
                .stopStrings(format.stopStrings()).build();
        List<Prediction> out = new ArrayList<>(examples.size());
        int correct = 0;
        for (InstructionExample e : examples) {
            String expected = ChatFormat.strip(e.response());
            int budget = tokenizer.encode(expected).length + EXTRA_TOKENS;
            int[] prompt = format.prompt(e.context());
            int[] generated = generator.generate(prompt, base.toBuilder().maxNewTokens(budget).build()).getFirst().tokens();
            String reply = format.replyText(generated);
            boolean ok = reply.equals(expected);
            correct += ok ? 1 : 0;
            out.add(new Prediction(e.context(), expected, reply, ok));
        }
        return new ExactMatch(examples.isEmpty() ? Double.NaN : (double) correct / examples.size(), examples.size(), out);
    }

    /**
     * The mean cross-entropy over every assistant token of the conversations (each token weighs
     * the same, however the conversations are batched), in evaluation mode.
     */
    public static double loss(Gpt gpt, List<ChatTemplate.Rendered> conversations, int batchSize, int pad) {
        gpt.setTraining(false, 0);
        Integer[] order = new Integer[conversations.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Similar lengths together: fewer pads to compute.
        Arrays.sort(order, Comparator.comparingInt(i -> conversations.get(i).tokens().length));
        double sum = 0;
        long counted = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            List<ChatTemplate.Rendered> batch = new ArrayList<>();
            for (int k = from; k < Math.min(order.length, from + batchSize); k++) {
                batch.add(conversations.get(order[k]));
            }
            InstructionBatch b = InstructionBatch.of(batch, pad);
            ForwardResult r = gpt.forward(b.tokens(), b.targets(), b.batch(), b.length());
            if (r.counted() > 0) {
                sum += (double) r.loss() * r.counted();
                counted += r.counted();
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }
}
