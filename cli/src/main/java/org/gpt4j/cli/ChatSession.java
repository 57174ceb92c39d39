package org.gpt4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.gpt4j.finetune.instruct.ChatFormat;
import org.gpt4j.finetune.instruct.ChatTemplate;
import org.gpt4j.finetune.instruct.Message;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.generate.TextStreamer;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * The chat loop: the conversation so far, rendered in the model's {@link ChatFormat} (its chat
 * template, or a plain "User: / Assistant:" transcript), which the model continues with its reply;
 * slash commands change the settings. Each reply draws a fresh seed from the session's generator,
 * so replies differ while a session started with --seed replays identically.
 */
final class ChatSession {

    static final String HELP = """
            Type a message and press enter; the reply streams back. Commands:
              /help                   this list
              /settings               the current settings
              /temperature T          sampling temperature (> 0)
              /top-k K                keep the K most likely tokens (0 = off)
              /top-p P                keep the nucleus of probability P, in (0, 1]
              /min-p P                drop tokens below P x the most likely (0 = off)
              /typical-p P            locally typical sampling mass, in (0, 1]
              /repetition-penalty X   penalise repeated tokens (1 = off)
              /max-new-tokens N       longest reply, in tokens
              /greedy | /sample       most likely token | sample
              /seed S                 restart the random stream
              /reset                  forget the conversation
              /quit                   leave (end of input too)""";

    private final Generator generator;
    private final Tokenizer tokenizer;
    private final ChatFormat format;
    private final int context;
    private final PrintWriter out;
    private GenerationConfig config;
    private RandomGenerator random;
    private final List<Message> history = new ArrayList<>();
    private final List<Message> start;

    /**
     * @param format  how the history becomes a prompt and a reply ends (the model's chat template,
     *                or a plain transcript)
     * @param context the model's context window: the oldest messages leave the prompt so that it
     *                and a reply of max_new_tokens fit
     * @param system  a system message that opens the conversation (kept by /reset), or null
     */
    ChatSession(Generator generator, Tokenizer tokenizer, ChatFormat format, int context, String system,
            GenerationConfig config, RandomGenerator random, PrintWriter out) {
        this.generator = generator;
        this.tokenizer = tokenizer;
        this.format = format;
        this.context = context;
        List<String> stops = new ArrayList<>(format.stopStrings());
        config.stopStrings().stream().filter(x -> !stops.contains(x)).forEach(stops::add);
        this.config = config.toBuilder().stopStrings(stops).build();
        this.random = random;
        this.out = out;
        this.start = system == null ? List.of() : List.of(Message.system(system));
        history.addAll(start);
    }

    void run(BufferedReader in) throws IOException {
        out.println("gpt4j chat: /help lists the commands, /quit leaves.");
        if (format instanceof ChatTemplate) {
            out.println("(the model's chat template: " + ChatTemplate.USER + " ... " + ChatTemplate.ASSISTANT
                    + " ..., replies end at " + ChatTemplate.END + ")");
        }
        while (true) {
            out.print("> ");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/")) {
                if (!command(line)) {
                    break;
                }
                continue;
            }
            reply(line);
        }
        out.flush();
    }

    private void reply(String message) {
        history.add(Message.user(message));
        // The template's replies may span lines; a transcript's reply is one line (it ends at "\n").
        boolean oneLine = format.stopStrings().contains("\n");
        TextStreamer streamer = new TextStreamer(tokenizer, config.eosTokenId(), delta -> {
            out.print(oneLine ? delta.replace("\n", "") : delta);
            out.flush();
        });
        GenerationConfig turn = config.toBuilder().seed(random.nextLong()).build();
        int[] prompt = format.promptWithin(history, Math.max(1, context - turn.maxNewTokens()));
        int[] reply = generator.generate(prompt, turn, streamer, 0).getFirst().tokens();
        history.add(Message.assistant(format.replyText(reply)));
        out.println();
    }

    /** Runs a slash command; false when the session should end. */
    private boolean command(String line) {
        String[] parts = line.split("\\s+", 2);
        String name = parts[0].toLowerCase(Locale.ROOT);
        String arg = parts.length > 1 ? parts[1].trim() : null;
        GenerationConfig.Builder b = config.toBuilder();
        try {
            switch (name) {
                case "/quit", "/exit" -> {
                    return false;
                }
                case "/help" -> out.println(HELP);
                case "/settings" -> out.println(settings());
                case "/reset" -> {
                    history.clear();
                    history.addAll(start);
                    out.println("(conversation forgotten)");
                }
                case "/greedy" -> set(b.doSample(false));
                case "/sample" -> set(b.doSample(true));
                case "/temperature" -> set(b.doSample(true).temperature(number(name, arg)));
                case "/top-k" -> set(b.doSample(true).topK(integer(name, arg)));
                case "/top-p" -> set(b.doSample(true).topP(number(name, arg)));
                case "/min-p" -> set(b.doSample(true).minP(number(name, arg)));
                case "/typical-p" -> set(b.doSample(true).typicalP(number(name, arg)));
                case "/repetition-penalty" -> set(b.repetitionPenalty(number(name, arg)));
                case "/max-new-tokens" -> set(b.maxNewTokens(integer(name, arg)));
                case "/seed" -> {
                    random = new SplittableRandom(integer(name, arg));
                    out.println("(seed " + arg + ")");
                }
                default -> out.println("error: unknown command " + name + " (/help lists them)");
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
        }
        out.flush();
        return true;
    }

    /** Validates and applies new settings (an invalid value leaves the old ones). */
    private void set(GenerationConfig.Builder b) {
        config = b.build();
        out.println(settings());
    }

    private String settings() {
        GenerationConfig c = config;
        return c.doSample()
                ? String.format(Locale.ROOT, "sampling: temperature %s, top-k %d, top-p %s, min-p %s, typical-p %s, "
                        + "repetition penalty %s, max new tokens %d", c.temperature(), c.topK(), c.topP(), c.minP(),
                        c.typicalP(), c.repetitionPenalty(), c.maxNewTokens())
                : String.format(Locale.ROOT, "greedy: repetition penalty %s, max new tokens %d",
                        c.repetitionPenalty(), c.maxNewTokens());
    }

    private static double number(String command, String arg) {
        if (arg == null) {
            throw new IllegalArgumentException(command + " needs a value");
        }
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": '" + arg + "' is not a number");
        }
    }

    private static int integer(String command, String arg) {
        if (arg == null) {
            throw new IllegalArgumentException(command + " needs a value");
        }
        try {
            return Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": '" + arg + "' is not an integer");
        }
    }
}
