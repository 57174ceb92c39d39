#!/usr/bin/env python3
"""Hugging Face tokenizers' (Rust) BERT WordPiece throughput on the texts of WordPieceEncodeBenchmark.

    /work/venv-hf/bin/python bench/wordpiece_hf_bench.py --data /work/shared/data

The same 3 MB of whole lines as the Java benchmark; the tokenizer is tokenizers' BertNormalizer +
BertPreTokenizer + WordPiece (what transformers' BertTokenizer runs), without [CLS]/[SEP]. Times
(best of 5) one encode of the whole text and one encode per line (one thread, like gpt4j's encode;
tokenizers tracks offsets, which costs most on one long string) and encode_batch of the lines
(Rust's thread pool, all cores). Prints MB/s and checks the token count against --expect.
"""
import argparse, os, time

from tokenizers import Tokenizer, normalizers, pre_tokenizers
from tokenizers.models import WordPiece

CORPUS_BYTES = 3_000_000


def head(path):
    out, size = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            n = len(line.encode("utf-8")) + 1
            if size + n > CORPUS_BYTES:
                break
            out.append(line + "\n")
            size += n
    return "".join(out)


def tokenizer(vocab_file):
    vocab = {}
    with open(vocab_file, encoding="utf-8") as f:
        for i, line in enumerate(f):
            vocab[line.rstrip("\n")] = i
    tok = Tokenizer(WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def best(fn, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data")
    args = ap.parse_args()
    for corpus, path, vocab in [("english", "gutenberg_en/part-000.txt", "bert-base-uncased"),
                                ("chinese", "chinese-poetry/tang_poems.txt", "bert-base-chinese")]:
        text = head(os.path.join(args.data, path))
        mb = len(text.encode("utf-8")) / 1e6
        tok = tokenizer(os.path.join(args.data, "bert-vocab", vocab, "vocab.txt"))
        tokens = len(tok.encode(text, add_special_tokens=False).ids)
        one = best(lambda: tok.encode(text, add_special_tokens=False))
        lines = text.split("\n")
        per_line = best(lambda: [tok.encode(l, add_special_tokens=False) for l in lines])
        batch = best(lambda: tok.encode_batch(lines, add_special_tokens=False))
        print(f"{corpus:8s} {mb:5.2f} MB, {tokens} tokens: HF tokenizers encode of the whole text {mb / one:6.1f} MB/s,"
              f" line by line {mb / per_line:6.1f} MB/s (one thread); encode_batch {mb / batch:6.1f} MB/s ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
