#!/usr/bin/env python3
"""Hugging Face's WordPiece ids for BERT's vocabularies: the oracle of gpt4j's WordPieceTokenizer.

    /work/venv-hf/bin/python tools/reference/wordpiece_reference.py \
        --data /work/shared/data \
        --out core/src/test/resources/fixtures/wordpiece/wordpiece_reference.jsonl

    # a larger check that is not committed (research-use text allowed, it stays local):
    /work/venv-hf/bin/python tools/reference/wordpiece_reference.py --data /work/shared/data \
        --local --out /tmp/wordpiece_local.jsonl

Needs `transformers` and `tokenizers` (a venv: `python3 -m venv /work/venv-hf && /work/venv-hf/bin/pip
install transformers tokenizers`). The vocabularies are Google's (bert-vocab/ in --data, the same files
as the test resources).

The oracle is tokenizers' pipeline that transformers 5's BertTokenizer runs: BertNormalizer +
BertPreTokenizer + WordPiece + the [CLS]/[SEP] template, built here *without* added tokens, so that
"[MASK]" in a text is ordinary text ("ids"). Lines whose text spells a special token also get
"special_ids" from transformers' BertTokenizer, which matches special tokens in the text. Each line
says whether the Python "slow" BertTokenizerLegacy of transformers 4 agrees ("legacy_agrees").

Committed text is public domain or freely licensed only: Project Gutenberg paragraphs, Python code
(MIT / PSF), chinese-poetry (MIT, poems public domain), and strings written here. SST-2 and the
Chinese sentiment sets (research use, no licence) are read only with --local.

One JSON object a line: {"vocab", "config": {"do_lower_case"}, "text", "pair"?, "ids", "token_type_ids",
"tokens" (for the strings written here), "special_ids"?, "legacy_agrees"}. Deterministic (seeded sampling).
"""
import argparse, csv, json, os, random

from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece
from transformers import BertTokenizer
from transformers.models.bert.tokenization_bert import load_vocab
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Written for these fixtures: what real text rarely shows at once.
ENGLISH = [
    "Hello, World! HELLO world. hello WORLD?",
    "The quick brown fox jumps over the lazy dog; THE QUICK BROWN FOX.",
    "naïve café résumé façade jalapeño Ångström Ærøskøbing Øresund Zürich São Paulo",
    "Crème brûlée, piñata, coöperate, Noël, Māori, Dvořák, Łódź, Kraków, İstanbul, Ῥόδος",
    "ΟΔΟΣ Σ οδος ΣΙΣΥΦΟΣ — Greek capitals with a final sigma",
    "don't won't it's I'm they're we've y'all rock'n'roll O'Neill",
    "e-mail: someone@example.com, URL: https://example.org/path?q=1&r=2#frag",
    "Prices: $3.50, €12,99, £7, ¥1000, 50% off!!! (limited) [offer] {now} <tag>",
    "Numbers 1234567890 3.14159 1,000,000 2nd 3rd 4th 1990s 10:30pm",
    "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious",
    "a" * 100,
    "b" * 101,
    "x" * 99 + "é",
    "y" * 100 + "é",
    "tab\there, newline\nthere, carriage\rreturn, form\x0cfeed, vertical\x0btab",
    "nul\x00byte, bell\x07, escape\x1b[31m, delete\x7f, soft\u00adhyphen, zero\u200bwidth, bom\ufeffhere",
    "non\u00a0breaking, em\u2003space, thin\u2009space, ideographic\u3000space, line\u2028sep, para\u2029sep",
    "replacement \ufffd char, private \ue000 use, tag \U000e0041 char, unassigned \u0378 x",
    "emoji 😀 🥰 🫠 ❤️ 👍🏽 👨‍👩‍👧 🇬🇧 ☺ ✨ and text",
    "Mixed 中文 English 日本語 한국어 text 和 numbers 123",
    "fullwidth ＡＢＣ １２３ ！？ and ligatures ﬁ ﬂ ﬀ and roman Ⅻ ① ㊿",
    "Arabic: مرحبا بالعالم، Hebrew: שָׁלוֹם, Hindi: नमस्ते दुनिया, Thai: สวัสดีครับ",
    "Russian: Привет, мир! Ёлка. Ukrainian: Ґанок, їжак.",
    "math: ∀x ∈ ℝ, x² ≥ 0; ∑ᵢ aᵢ = ∞ ± √2 ≈ 1.414 → ∂f/∂x",
    "quotes: “double” ‘single’ «guillemets» „low“ — em dash – en dash … ellipsis",
    "[MASK] is a token, [CLS] and [SEP] and [PAD] and [UNK] too; [mask] lower-case",
    "The man went to the [MASK]. He bought a gallon of [MASK].",
    "   leading and trailing spaces   ",
    "",
    " ",
    "\t\n\r",
    "...!!!???,,,;;;:::---___",
    "#hashtag ##double ###triple # ## ###",
    "C++ C# .NET node.js x86_64 i18n l10n UTF-8 ISO-8859-1",
    "CamelCaseWord snake_case_word kebab-case-word SCREAMING_CASE",
    "combining: e\u0301 a\u0308 n\u0303 o\u0302 (decomposed accents) and ǅ ǈ ǋ (title case)",
    "Turkish dotless ı and dotted İ, German ß and ẞ, Dutch Ĳ",
    "Ｔｈｅ ｆｕｌｌｗｉｄｔｈ ｓｅｎｔｅｎｃｅ．",
    "𝐁𝐨𝐥𝐝 𝑰𝒕𝒂𝒍𝒊𝒄 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 letters and 𝟙𝟚𝟛",
    "Compatibility ideographs: 豈 更 車 and extension B: 𠀀 𠀁 𪛖",
]
ENGLISH_PAIRS = [
    ("How old are you?", "I am six years old."),
    ("The cat sat on the mat.", "It was a sunny day, wasn't it?"),
    ("Where is the [MASK]?", "Over there [SEP] maybe."),
    ("", "only the second segment"),
    ("Crème brûlée", "naïve café"),
]
CHINESE = [
    "今天天气很好，我们去公园散步吧！",
    "北京是中华人民共和国的首都。",
    "我爱自然语言处理，BERT模型很有用。",
    "这家店的菜很好吃，价格也便宜，推荐！",
    "他说：“你好吗？”我回答：“我很好，谢谢。”",
    "２０２６年１２月２日，星期三。",
    "繁體中文與简体中文混合使用。",
    "iPhone手机和MacBook电脑都是Apple公司的产品。",
    "一二三四五六七八九十百千万亿",
    "𠀀𠀁𪛖 are rare characters in extension B",
    "标点符号：，。！？；：、（）《》【】——……",
    "日本語のひらがなとカタカナ、한국어 한글도 있습니다。",
    "[MASK]是一个特殊的标记，[CLS]和[SEP]也是。",
    "Ａ大写字母ＢＣ和小写ａｂｃ",
    "表情符号😀和文字混在一起👍",
]
CHINESE_PAIRS = [
    ("今天天气怎么样？", "今天是晴天。"),
    ("床前明月光", "疑是地上霜"),
]
CASED = [
    "Hello, World! HELLO world.",
    "naïve café résumé Ångström İstanbul",
    "ΟΔΟΣ Σ οδος",
    "The man went to the [MASK].",
    "Mixed 中文 English",
]


def oracle(vocab, lowercase):
    """tokenizers' BERT pipeline over the vocabulary, with no added tokens."""
    tok = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return tok


class Reference:
    def __init__(self, vocab_file, name, lowercase):
        vocab = load_vocab(vocab_file)
        self.name, self.lowercase = name, lowercase
        self.plain = oracle(vocab, lowercase)
        self.hf = BertTokenizer(vocab=vocab, do_lower_case=lowercase)
        self.legacy = BertTokenizerLegacy(vocab_file=vocab_file, do_lower_case=lowercase)

    def line(self, text, pair=None, tokens=False):
        enc = self.plain.encode(text, pair) if pair is not None else self.plain.encode(text)
        out = {"vocab": self.name, "config": {"do_lower_case": self.lowercase}, "text": text}
        if pair is not None:
            out["pair"] = pair
        out["ids"] = enc.ids
        out["token_type_ids"] = enc.type_ids
        if tokens:
            out["tokens"] = enc.tokens
        if any(s in t for s in SPECIALS for t in ([text] if pair is None else [text, pair])):
            out["special_ids"] = self.hf(text, pair)["input_ids"] if pair is not None else self.hf(text)["input_ids"]
        legacy = self.legacy(text, pair, split_special_tokens=True)["input_ids"] if pair is not None \
            else self.legacy(text, split_special_tokens=True)["input_ids"]
        out["legacy_agrees"] = legacy == enc.ids
        return out


def gutenberg(data, rng, n, max_chars):
    paragraphs = []
    for part in sorted(os.listdir(os.path.join(data, "gutenberg_en"))):
        if part.startswith("part-"):
            with open(os.path.join(data, "gutenberg_en", part), encoding="utf-8") as f:
                paragraphs += [p for p in f.read().split("\n") if 0 < len(p) <= max_chars]
    return rng.sample(paragraphs, n)


def python_snippets(data, rng, n):
    with open(os.path.join(data, "python_code", "part-000.txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    for start in rng.sample(range(len(lines) - 6), n):
        out.append("\n".join(lines[start:start + 6]))
    return out


def poems(data, rng, n):
    out = []
    for name in ["tang_poems.txt", "song_ci.txt"]:
        with open(os.path.join(data, "chinese-poetry", name), encoding="utf-8") as f:
            out += rng.sample([l for l in f.read().split("\n") if 0 < len(l) <= 300], n // 2)
    return out


def tsv_column(path, column, rng, n):
    with open(path, encoding="utf-8") as f:
        rows = [r[column] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return rng.sample(rows, min(n, len(rows)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--local", action="store_true", help="also research-use text, many more lines; never commit")
    args = ap.parse_args()
    vocab_dir = os.path.join(args.data, "bert-vocab")
    uncased = Reference(os.path.join(vocab_dir, "bert-base-uncased", "vocab.txt"), "bert-base-uncased", True)
    cased = Reference(os.path.join(vocab_dir, "bert-base-uncased", "vocab.txt"), "bert-base-uncased", False)
    chinese = Reference(os.path.join(vocab_dir, "bert-base-chinese", "vocab.txt"), "bert-base-chinese", True)
    rng = random.Random(13)
    scale = 20 if args.local else 1
    lines = []
    english = gutenberg(args.data, rng, 160 * scale, 500) + gutenberg(args.data, rng, 2 * scale, 5000)
    lines += [uncased.line(t, tokens=True) for t in ENGLISH]
    lines += [uncased.line(t) for t in english + python_snippets(args.data, rng, 40 * scale)]
    sentences = [s.strip() + "." for p in english[:200] for s in p.split(".") if len(s.strip()) > 3]
    lines += [uncased.line(a, b) for a, b in ENGLISH_PAIRS + list(zip(sentences[0:80:2], sentences[1:80:2]))]
    lines += [cased.line(t) for t in CASED + english[:20]]
    chinese_text = poems(args.data, rng, 120 * scale)
    lines += [chinese.line(t, tokens=True) for t in CHINESE]
    lines += [chinese.line(t) for t in chinese_text]
    lines += [chinese.line(a, b) for a, b in CHINESE_PAIRS + list(zip(chinese_text[0:20:2], chinese_text[1:20:2]))]
    if args.local:
        sst = tsv_column(os.path.join(args.data, "sst2", "sst2.train.tsv"), "sentence", rng, 3000)
        lines += [uncased.line(t) for t in sst]
        for name in ["chnsenticorp_htl.train.tsv", "waimai_10k.train.tsv"]:
            lines += [chinese.line(t) for t in tsv_column(os.path.join(args.data, "chinese-sentiment", name), "text", rng, 2000)]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    disagree = sum(1 for l in lines if not l["legacy_agrees"])
    print(f"wrote {len(lines)} lines to {args.out}; the legacy Python tokenizer disagrees on {disagree}")
    for l in lines:
        if not l["legacy_agrees"]:
            print("  legacy differs:", repr(l["text"][:80]))


if __name__ == "__main__":
    main()
