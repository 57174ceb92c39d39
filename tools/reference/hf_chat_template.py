#!/usr/bin/env python3
"""Hugging Face's reading of a gpt4j instruction-tuned directory: its chat template, rendered by transformers.

    /work/venv-hf/bin/python tools/reference/hf_chat_template.py --model DIR \
        --out core/src/test/resources/fixtures/instruct/hf-chat-template

DIR is a directory written by `gpt4j finetune --task instruction` (byte-level BPE). The script loads
it with AutoTokenizer and GPT2LMHeadModel (asserting the tokenizer has the four template tokens,
eos_token is <|end|>, config.eos_token_id agrees, and greedy generate stops at <|end|>), renders
CONVERSATIONS with tokenizer.apply_chat_template (with and without the generation prompt), and
writes to --out the directory's tokenizer files (vocab.json, merges.txt, added_tokens.json,
special_tokens_map.json, tokenizer_config.json) and hf_chat.json: [{messages,
add_generation_prompt, ids, text}]. The Java test renders the same conversations with gpt4j's
ChatTemplate over those files and expects the same ids.

Message text here never spells a template token: transformers would turn "<|end|>" inside a
message into the special token, gpt4j keeps it as text (a message cannot forge a turn).
"""
import argparse, json, os, shutil
import torch
from transformers import AutoTokenizer, GPT2LMHeadModel

FILES = ["vocab.json", "merges.txt", "added_tokens.json", "special_tokens_map.json", "tokenizer_config.json"]
TOKENS = ["<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
CONVERSATIONS = [
    [{"role": "user", "content": "What is 37 + 48?"}, {"role": "assistant", "content": "85"}],
    [{"role": "system", "content": "  You answer briefly.\n"}, {"role": "user", "content": "\tReverse the word 'planet'. "},
     {"role": "assistant", "content": "tenalp"}, {"role": "user", "content": "And 'low'?\nThanks!"}],
    [{"role": "user", "content": "Caf\u00e9 \u2014 na\u00efve r\u00e9sum\u00e9, 12\u00a0345 \U0001F600"},
     {"role": "assistant", "content": "\u00a0ok\u2003"}],
]


def main(model_dir, out):
    tok = AutoTokenizer.from_pretrained(model_dir)
    assert tok.chat_template, "no chat_template in tokenizer_config.json"
    ids = tok.convert_tokens_to_ids(TOKENS)
    assert ids == list(range(len(tok) - 4, len(tok))), f"template tokens {ids}, vocabulary {len(tok)}"
    assert tok.eos_token == "<|end|>"
    model = GPT2LMHeadModel.from_pretrained(model_dir)
    assert model.config.eos_token_id == tok.eos_token_id
    assert model.get_input_embeddings().weight.shape[0] == len(tok)
    prompt = tok.apply_chat_template(CONVERSATIONS[0][:1], add_generation_prompt=True, return_tensors="pt", return_dict=True)
    gen = model.generate(**prompt, max_new_tokens=40, do_sample=False, pad_token_id=tok.eos_token_id)[0]
    new = gen[prompt["input_ids"].shape[1]:].tolist()
    assert tok.eos_token_id not in new[:-1], "generation went past <|end|>"
    cases = []
    for conv in CONVERSATIONS:
        for gp in (False, True):
            if gp and conv[-1]["role"] == "assistant":
                conv = conv[:-1]
            r = tok.apply_chat_template(conv, add_generation_prompt=gp, tokenize=True, return_dict=True)
            text = tok.apply_chat_template(conv, add_generation_prompt=gp, tokenize=False)
            cases.append({"messages": conv, "add_generation_prompt": gp, "ids": list(r["input_ids"]), "text": text})
    os.makedirs(out, exist_ok=True)
    for f in FILES:
        shutil.copyfile(os.path.join(model_dir, f), os.path.join(out, f))
    with open(os.path.join(out, "hf_chat.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} renderings, vocabulary {len(tok)}; generate stopped after {len(new)} tokens: {tok.decode(new)!r}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a directory written by gpt4j finetune --task instruction")
    ap.add_argument("--out", default="core/src/test/resources/fixtures/instruct/hf-chat-template")
    a = ap.parse_args()
    torch.manual_seed(0)
    main(a.model, a.out)
