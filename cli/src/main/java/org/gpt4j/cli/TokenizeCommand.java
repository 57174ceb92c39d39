package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.tokenizer.TokenPieces;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.Utf8;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j tokenize}: the token ids of a text, and what each token stands for. */
@Command(name = "tokenize", header = "Show the tokens of a text: pieces, ids, split characters.", mixinStandardHelpOptions = true,
        description = {"Show the tokens of a text: each token's text, its id, and where byte tokens split a character.",
            "The text comes from --text, --file, or standard input.",
            "Special-token text (<|endoftext|>, BERT's [MASK] [CLS] [SEP]) is ordinary text unless --special-tokens is given.",
            "A BERT directory (vocab.txt) shows the WordPiece tokens of the text alone, without [CLS] and [SEP]."})
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--tokenizer", required = true, paramLabel = "DIR",
            description = "A model directory (vocab.txt for BERT's WordPiece, tokenizer.json, vocab.json + merges.txt, or char_vocab.json),"
                    + " or gpt2 for the built-in GPT-2 tokenizer.")
    String tokenizer;

    @ArgGroup(exclusive = true)
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "A UTF-8 file to tokenize.")
        Path file;
    }

    @Option(names = "--json", description = "Print only {\"ids\": [...]}.")
    boolean json;

    @Option(names = "--special-tokens", description = "Encode special-token strings such as <|endoftext|> or [MASK] as their single ids.")
    boolean specialTokens;

    @Override
    public Integer call() throws Exception {
        Tokenizer tok = Tokenizers.resolve(tokenizer);
        String text = readText();
        int[] ids = specialTokens ? tok.encodeWithSpecialTokens(text) : tok.encode(text);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            ArrayNode array = root.putArray("ids");
            for (int id : ids) {
                array.add(id);
            }
            out.println(mapper.writeValueAsString(root));
        } else {
            printTable(out, tokenizer, tok, text, ids);
        }
        out.flush();
        return 0;
    }

    private String readText() throws Exception {
        if (input != null && input.text != null) {
            return input.text;
        }
        if (input != null && input.file != null) {
            return Utf8.readFile(input.file);
        }
        return Utf8.decodeStrict(System.in.readAllBytes(), "standard input");
    }

    private static void printTable(PrintWriter out, String name, Tokenizer tok, String text, int[] ids) {
        List<TokenPieces.Piece> pieces = TokenPieces.of(tok, ids);
        int chars = text.codePointCount(0, text.length());
        out.printf(Locale.ROOT, "%s (%s): %,d characters -> %,d tokens%s%n", name, tok, chars, ids.length,
                ids.length == 0 ? "" : String.format(Locale.ROOT, " (%.2f characters per token)", chars / (double) ids.length));
        if (pieces.isEmpty()) {
            return;
        }
        int idWidth = Math.max(2, String.valueOf(tok.vocabSize() - 1).length());
        int textWidth = 8;
        for (TokenPieces.Piece p : pieces) {
            textWidth = Math.max(textWidth, Math.min(24, width(shown(p.text()))));
        }
        String row = "%5s  %" + idWidth + "s  %s  %-12s  %s%n";
        out.printf(Locale.ROOT, row, "#", "id", pad("token", textWidth), "bytes", "splits a character");
        int fragments = 0;
        for (int i = 0; i < pieces.size(); i++) {
            TokenPieces.Piece p = pieces.get(i);
            if (p.isFragment()) {
                fragments++;
            }
            out.printf(Locale.ROOT, row, i, p.id(), pad(shown(p.text()), textWidth), hex(p.bytes()), p.splits().strip());
        }
        if (fragments > 0) {
            out.printf(Locale.ROOT, "%d of %d tokens are parts of a character (byte-level BPE: one character, several tokens).%n",
                    fragments, pieces.size());
        }
    }

    /** The token in quotes with whitespace and control characters visible. */
    static String shown(String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (Character.isISOControl(c) || (Character.isWhitespace(c) && c != ' ') || c == 0xA0) {
                        sb.append(String.format(Locale.ROOT, "\\u%04X", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** Pads to a terminal width, counting East Asian wide characters as two columns. */
    static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - width(s)));
    }

    static int width(String s) {
        return s.codePoints().map(c -> isWide(c) ? 2 : 1).sum();
    }

    private static boolean isWide(int c) {
        return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
                || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
    }

    private static String hex(byte[] bytes) {
        if (bytes.length > 4) {
            return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, 0, 3) + " ..";
        }
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }
}
