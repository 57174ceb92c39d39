package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's tokenizer: {@link BertBasicTokenizer} cuts the text into words, and WordPiece spells each
 * word greedily, longest match first, from the vocabulary: the first piece as itself, the rest
 * with the {@code ##} continuation prefix ("unaffable" → {@code un ##aff ##able}). A word the
 * vocabulary cannot spell, or longer than {@link WordPieceConfig#maxInputCharsPerWord}, becomes
 * the one unknown token. With Google's vocabularies this gives the ids of Hugging Face's
 * {@code BertTokenizer}.
 *
 * <p>{@link #encode} returns the tokens of the text alone, with {@code [MASK]} in the text
 * ordinary text ({@code [ mask ]}); {@link #encodeWithSpecialTokens} turns the special tokens'
 * spellings into their ids. {@link #encodePair} and {@link #assemble} build a model input:
 * {@code [CLS] a [SEP]} or {@code [CLS] a [SEP] b [SEP]} with the token types (segments).
 *
 * <p>Decoding is Hugging Face's {@code convert_tokens_to_string}: tokens joined by spaces, each
 * {@code ##} piece glued to the one before. The case and accents the normaliser removed and the
 * spaces around punctuation are not restored. A token's {@link #tokenBytes} is its spelling in the
 * vocabulary, {@code ##} included.
 *
 * <p>Speed: a {@link PieceCache} remembers the ids of whitespace-separated chunks of the text,
 * the whole of the pipeline after cleaning, so a common word costs one hash probe.
 */
public final class WordPieceTokenizer implements Tokenizer {

    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final WordPieceConfig config;
    private final BertBasicTokenizer basic;
    /** Every token, for the first piece of a word. */
    private final VocabTable wordStart;
    /** The {@code ##} tokens without their prefix, for the pieces after the first. */
    private final VocabTable continuation;
    private final Map<String, Integer> specialTokens;
    private final int unkId;
    private final PieceCache cache = new PieceCache(16);

    /**
     * @param tokens the vocabulary, by id (vocab.txt's lines); no token twice
     * @throws IllegalArgumentException when a token is empty or repeated, or the unknown token is missing
     */
    public WordPieceTokenizer(List<String> tokens, WordPieceConfig config) {
        this.tokens = tokens.toArray(new String[0]);
        this.config = config;
        Map<String, Integer> ids = new HashMap<>(this.tokens.length * 2);
        tokenBytes = new byte[this.tokens.length][];
        List<String> pieces = new ArrayList<>();
        List<Integer> pieceIds = new ArrayList<>();
        for (int id = 0; id < this.tokens.length; id++) {
            String t = this.tokens[id];
            if (t.isEmpty()) {
                throw new IllegalArgumentException("token " + id + " is empty");
            }
            Integer before = ids.putIfAbsent(t, id);
            if (before != null) {
                throw new IllegalArgumentException("token " + BpeVocabulary.quote(t) + " appears twice, as ids "
                        + before + " and " + id);
            }
            tokenBytes[id] = t.getBytes(StandardCharsets.UTF_8);
            if (t.startsWith(WordPieceConfig.CONTINUATION) && t.length() > WordPieceConfig.CONTINUATION.length()) {
                pieces.add(t.substring(WordPieceConfig.CONTINUATION.length()));
                pieceIds.add(id);
            }
        }
        Integer unk = ids.get(config.unkToken());
        if (unk == null) {
            throw new IllegalArgumentException("the vocabulary has no unknown token " + config.unkToken());
        }
        unkId = unk;
        int[] all = new int[this.tokens.length];
        Arrays.setAll(all, i -> i);
        wordStart = new VocabTable(this.tokens, all);
        continuation = new VocabTable(pieces.toArray(new String[0]), pieceIds.stream().mapToInt(Integer::intValue).toArray());
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String s : config.specialTokens()) {
            Integer id = ids.get(s);
            if (id != null) {
                specials.put(s, id);
            }
        }
        specialTokens = Collections.unmodifiableMap(specials);
        basic = new BertBasicTokenizer(config.doLowerCase(), config.stripsAccents(), config.tokenizeChineseChars());
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 4 + 8);
        IntList chunkIds = new IntList(16);
        basic.chunks(text, (s, from, to) -> {
            int hash = PieceCache.hash(s, from, to);
            if (!cache.appendTo(s, from, to, hash, out)) {
                chunkIds.truncate(0);
                basic.words(s, from, to, (w, a, b) -> spell(w, a, b, chunkIds));
                int[] ids = chunkIds.toArray();
                cache.put(s, from, to, hash, ids);
                out.addAll(ids);
            }
        });
        return out.toArray();
    }

    /** The tokens of the text, as strings (Hugging Face's {@code tokenize}). */
    public List<String> tokenize(String text) {
        int[] ids = encode(text);
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(tokens[id]);
        }
        return out;
    }

    /** Greedy longest-match-first WordPiece of one word {@code w[from..to)}, appended to {@code out}. */
    private void spell(char[] w, int from, int to, IntList out) {
        if (Character.codePointCount(w, from, to - from) > config.maxInputCharsPerWord()) {
            out.add(unkId);
            return;
        }
        int mark = out.size();
        int start = from;
        while (start < to) {
            VocabTable table = start == from ? wordStart : continuation;
            int end = to;
            int id = -1;
            while (end > start) {
                id = table.get(w, start, end);
                if (id >= 0) {
                    break;
                }
                // Shorter by one code point: never cut a surrogate pair.
                end -= end - 2 >= start && Character.isLowSurrogate(w[end - 1]) && Character.isHighSurrogate(w[end - 2]) ? 2 : 1;
            }
            if (id < 0) {
                out.truncate(mark);
                out.add(unkId);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    /** {@code [CLS] a [SEP]} ({@code b} null) or {@code [CLS] a [SEP] b [SEP]}, the texts as ordinary text. */
    public BertEncoding encodePair(String a, String b) {
        return assemble(encode(a), b == null ? null : encode(b));
    }

    /**
     * A model input from the token ids of one or two segments: {@code [CLS] a [SEP]} with token
     * type 0 throughout, or {@code [CLS] a [SEP] b [SEP]} with type 1 for {@code b} and its {@code [SEP]}.
     */
    public BertEncoding assemble(int[] a, int[] b) {
        int cls = requiredId(config.clsToken());
        int sep = requiredId(config.sepToken());
        int n = a.length + 2 + (b == null ? 0 : b.length + 1);
        int[] ids = new int[n];
        int[] types = new int[n];
        ids[0] = cls;
        System.arraycopy(a, 0, ids, 1, a.length);
        ids[a.length + 1] = sep;
        if (b != null) {
            System.arraycopy(b, 0, ids, a.length + 2, b.length);
            ids[n - 1] = sep;
            Arrays.fill(types, a.length + 2, n, 1);
        }
        return new BertEncoding(ids, types);
    }

    /** The id of a token of the vocabulary, or -1. */
    public int idOf(String token) {
        char[] c = token.toCharArray();
        return wordStart.get(c, 0, c.length);
    }

    private int requiredId(String token) {
        int id = idOf(token);
        if (id < 0) {
            throw new IllegalStateException("the vocabulary has no " + token + " token");
        }
        return id;
    }

    public int unknownId() {
        return unkId;
    }

    public int clsId() {
        return requiredId(config.clsToken());
    }

    public int sepId() {
        return requiredId(config.sepToken());
    }

    public int padId() {
        return requiredId(config.padToken());
    }

    public int maskId() {
        return requiredId(config.maskToken());
    }

    public WordPieceConfig config() {
        return config;
    }

    /** The vocabulary by id, as vocab.txt lists it. */
    public List<String> tokens() {
        return List.of(tokens);
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        Tokenizer.checkId(id, tokens.length);
        return tokenBytes[id].clone();
    }

    @Override
    public String tokenText(int id) {
        Tokenizer.checkId(id, tokens.length);
        return tokens[id];
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    @Override
    public String decode(int[] ids) {
        List<String> texts = new ArrayList<>(ids.length);
        for (int id : ids) {
            texts.add(tokenText(id));
        }
        return joinTokens(texts);
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        return decode(ids).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Hugging Face's {@code convert_tokens_to_string}: {@code " ".join(tokens).replace(" ##", "").strip()}.
     */
    public static String joinTokens(List<String> tokens) {
        String joined = String.join(" ", tokens).replace(" " + WordPieceConfig.CONTINUATION, "");
        int from = 0;
        int to = joined.length();
        while (from < to && isPythonSpace(joined.charAt(from))) {
            from++;
        }
        while (to > from && isPythonSpace(joined.charAt(to - 1))) {
            to--;
        }
        return joined.substring(from, to);
    }

    /** Python's {@code str.isspace} for one char: Java's whitespace plus the no-break spaces and NEL. */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    @Override
    public String toString() {
        return "WordPiece, " + tokens.length + " tokens, " + (config.doLowerCase() ? "lower-cased" : "cased");
    }
}
