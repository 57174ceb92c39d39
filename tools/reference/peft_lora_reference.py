#!/usr/bin/env python3
"""LoRA oracle: Hugging Face PEFT's LoRA on GPT-2, against gpt4j, in both directions.

    /work/venv-hf/bin/python tools/reference/peft_lora_reference.py --out core/src/test/resources/fixtures
    /work/venv-hf/bin/python tools/reference/peft_lora_reference.py \
        --check-gpt4j core/src/test/resources/fixtures/lora/gpt4j-adapter

Needs torch, transformers and peft (a venv; CI never runs this). Deterministic: seeded, weights
drawn in float32 and then every reference computed in float64 from exactly those values.

--out writes <out>/lora/:
  peft-seq-cls/   a tiny GPT2ForSequenceClassification (V0 = 40 base ids + 4 added tokens, C 16,
                  2 layers, 2 heads, 3 labels) with PEFT LoRA (r 4, alpha 8, targets c_attn,
                  c_proj, c_fc: every Conv1D; modules_to_save score; trainable_token_indices the
                  4 added ids), saved by PEFT itself:
      base/         the base model (save_pretrained of GPT2LMHeadModel, vocabulary V0)
      adapter/      PeftModel.save_pretrained(save_embedding_layers=False) + gpt4j_task.json
      batch.json    sequences, labels, lm_weight, the padded tokens / targets / extract positions
      reference.safetensors  task_logits [B,3], loss_task, loss_lm, loss (L3 = L2 + 0.5 L1, the LM
                  loss through the tied embedding whose added rows are the trainable tokens),
                  grad.<name> and grad_task_only.<name> (lambda 0) for every lora_A / lora_B
                  ("h.0.attn.c_attn.lora_A.weight"), "score.weight" and
                  "wte.token_adapter.trainable_tokens_delta"; merged.<module>.weight: the Conv1D
                  weights after merge_and_unload
  peft-causal-lm/ a tiny GPT2LMHeadModel (V 50) with a CAUSAL_LM LoRA adapter written by PEFT:
                  target_modules as a regular expression (".*attn\\.c_attn|.*h\\.1\\.mlp\\.c_proj"),
                  use_rslora, trainable_token_indices [3, 7]; reference.json: tokens and logits [T,V]

--check-gpt4j DIR loads DIR/base (a gpt4j base model) and DIR/adapter (an adapter written by
`gpt4j finetune --lora-rank`) with PeftModel.from_pretrained, checks that every tensor of the
file landed in the model, scores a few task sequences one by one and as one right-padded batch,
and writes DIR/adapter/peft_logits.json {"peft", "transformers", "sequences", "logits"}.
"""
import argparse, json, os
import torch
import torch.nn.functional as F
import peft
import transformers
from peft import LoraConfig, PeftModel, TaskType, get_peft_model, get_peft_model_state_dict
from safetensors.torch import load_file, save_file
from transformers import GPT2Config, GPT2ForSequenceClassification, GPT2LMHeadModel

torch.set_num_threads(2)
transformers.logging.set_verbosity_error()
LM_WEIGHT = 0.5
PREFIX = "base_model.model.transformer."


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f)
        f.write("\n")


def randomize(model, g, std=0.1):
    """Every base weight drawn (LayerNorm gains around 1), so no term of the sum is trivially 0."""
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * std + (1.0 if ".ln_" in n and n.endswith("weight") else 0.0))


def tidy(d):
    """Leaves the files gpt4j and PEFT read: not PEFT's model-card template or the generation config."""
    for f in ("base/generation_config.json", "adapter/README.md"):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))


def pad(seqs, pad_id):
    T = max(len(s) for s in seqs)
    tokens = [s + [pad_id] * (T - len(s)) for s in seqs]
    targets = [s[1:] + [-1] * (T - len(s) + 1) for s in seqs]
    return tokens, targets, [len(s) - 1 for s in seqs]


def seq_cls(out):
    V0, C, L, NH, NP, NL = 40, 16, 2, 2, 16, 3
    d = os.path.join(out, "lora", "peft-seq-cls")
    g = torch.Generator().manual_seed(2021)
    cfg = GPT2Config(n_layer=L, n_head=NH, n_embd=C, n_positions=NP, vocab_size=V0, resid_pdrop=0.0, embd_pdrop=0.0,
                     attn_pdrop=0.0, bos_token_id=None, eos_token_id=None)
    lm = GPT2LMHeadModel(cfg)
    randomize(lm, g)
    lm.save_pretrained(os.path.join(d, "base"))
    model = GPT2ForSequenceClassification.from_pretrained(os.path.join(d, "base"), num_labels=NL, pad_token_id=V0 + 3)
    model.resize_token_embeddings(V0 + 4, mean_resizing=False)
    added = [V0, V0 + 1, V0 + 2, V0 + 3]
    pm = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn", "c_proj", "c_fc"],
                                          task_type=TaskType.SEQ_CLS, trainable_token_indices=added))
    pm.peft_config["default"].base_model_name_or_path = "../base"
    pm.peft_config["default"].target_modules = ["c_attn", "c_proj", "c_fc"]   # a set: its order varies by run
    with torch.no_grad():                          # B != 0 (else A's gradient is 0), every value drawn
        for n, p in pm.named_parameters():
            if p.requires_grad:
                p.copy_(torch.randn(p.shape, generator=g) * (0.3 if "score" in n else 0.2))
    pm.save_pretrained(os.path.join(d, "adapter"), save_embedding_layers=False)
    write_json(os.path.join(d, "adapter", "gpt4j_task.json"),
               {"format": "classification", "start_token_id": V0, "delimiter_token_id": V0 + 1,
                "extract_token_id": V0 + 2, "pad_token_id": V0 + 3, "id2label": {str(i): f"l{i}" for i in range(NL)}})
    seqs = [[V0] + torch.randint(V0, (n,), generator=g).tolist() + [V0 + 2] for n in (6, 3, 9)]
    labels = [0, 2, 1]
    tokens, targets, extract = pad(seqs, V0 + 3)
    write_json(os.path.join(d, "batch.json"),
               {"format": "classification", "num_labels": NL, "lm_weight": LM_WEIGHT, "sequences": seqs, "labels": labels,
                "special": {"start": V0, "delimiter": V0 + 1, "extract": V0 + 2, "pad": V0 + 3},
                "B": len(seqs), "T": len(tokens[0]), "tokens": tokens, "targets": targets, "extract": extract})

    pm = pm.double()
    trainable = {n.replace("base_model.model.transformer.", "").replace("base_model.model.", "")
                 .replace(".default", "").replace(".modules_to_save", ""): p
                 for n, p in pm.named_parameters() if p.requires_grad}
    ids, tg = torch.tensor(tokens), torch.tensor(targets)
    mask = (ids != V0 + 3).long()

    def run(lm_weight):
        for p in trainable.values():
            p.grad = None
        o = pm(input_ids=ids, attention_mask=mask, labels=torch.tensor(labels), output_hidden_states=True)
        wte = pm.base_model.model.transformer.wte.token_adapter
        w = wte.base_layer.weight.index_copy(0, torch.tensor(added), wte.trainable_tokens_delta["default"])
        lm_loss = F.cross_entropy((o.hidden_states[-1] @ w.T).reshape(-1, V0 + 4), tg.reshape(-1), ignore_index=-1)
        total = o.loss + lm_weight * lm_loss
        total.backward()
        return o.logits.detach(), o.loss.item(), lm_loss.item(), total.item(), {n: p.grad.clone() for n, p in trainable.items()}

    logits, task, lml, total, grads = run(LM_WEIGHT)
    grads0 = run(0.0)[4]
    ref = {"task_logits": logits, "loss_task": torch.tensor([task]), "loss_lm": torch.tensor([lml]),
           "loss": torch.tensor([total])}
    ref.update({f"grad.{n}": gr for n, gr in grads.items()})
    ref.update({f"grad_task_only.{n}": gr for n, gr in grads0.items()})
    merged = pm.merge_and_unload()
    for n, p in merged.transformer.named_parameters():
        if n.endswith("weight") and (".c_" in n):
            ref[f"merged.{n}"] = p.detach()
    save_file({k: v.float().contiguous() for k, v in ref.items()}, os.path.join(d, "reference.safetensors"),
              {"format": "pt"})
    tidy(d)
    print(f"lora/peft-seq-cls: logits {logits[0].tolist()} L2 {task:.5f} L1 {lml:.5f} L3 {total:.5f}, "
          f"{len(grads)} gradients (peft {peft.__version__}, transformers {transformers.__version__})")


def causal_lm(out):
    V, C = 50, 16
    d = os.path.join(out, "lora", "peft-causal-lm")
    g = torch.Generator().manual_seed(2022)
    cfg = GPT2Config(n_layer=2, n_head=2, n_embd=C, n_positions=16, vocab_size=V, resid_pdrop=0.0, embd_pdrop=0.0,
                     attn_pdrop=0.0, bos_token_id=None, eos_token_id=None)
    lm = GPT2LMHeadModel(cfg)
    randomize(lm, g)
    lm.save_pretrained(os.path.join(d, "base"))
    pm = get_peft_model(lm, LoraConfig(r=3, lora_alpha=5, target_modules=r".*attn\.c_attn|.*h\.1\.mlp\.c_proj",
                                       use_rslora=True, task_type=TaskType.CAUSAL_LM, trainable_token_indices=[3, 7]))
    pm.peft_config["default"].base_model_name_or_path = "../base"
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if p.requires_grad:
                p.copy_(torch.randn(p.shape, generator=g) * 0.2)
    pm.save_pretrained(os.path.join(d, "adapter"), save_embedding_layers=False)
    tokens = [3, 11, 7, 42, 0, 7, 19, 3, 25, 8]
    with torch.no_grad():
        logits = pm.double()(torch.tensor([tokens])).logits[0]
    write_json(os.path.join(d, "reference.json"), {"tokens": tokens, "logits": logits.tolist()})
    tidy(d)
    print(f"lora/peft-causal-lm: {len(tokens)} tokens, logits[0][:3] {logits[0][:3].tolist()}")


def check_gpt4j(d):
    base_dir, adapter_dir = os.path.join(d, "base"), os.path.join(d, "adapter")
    with open(os.path.join(adapter_dir, "gpt4j_task.json")) as f:
        task = json.load(f)
    V0 = task["start_token_id"]
    model = GPT2ForSequenceClassification.from_pretrained(base_dir, num_labels=len(task["id2label"]),
                                                          pad_token_id=task["pad_token_id"])
    model.resize_token_embeddings(V0 + 4, mean_resizing=False)
    pm = PeftModel.from_pretrained(model, adapter_dir).eval()
    saved = load_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    loaded = get_peft_model_state_dict(pm, save_embedding_layers=False)
    assert set(saved) == set(loaded), (set(saved) ^ set(loaded))
    for k in saved:
        assert torch.equal(saved[k], loaded[k]), k
    g = torch.Generator().manual_seed(7)
    seqs = []
    for n in (1, 4, 9, 14):
        s = [task["start_token_id"]] + torch.randint(V0, (n,), generator=g).tolist()
        if task["format"] == "entailment":
            s += [task["delimiter_token_id"]] + torch.randint(V0, (3,), generator=g).tolist()
        seqs.append(s + [task["extract_token_id"]])
    with torch.no_grad():
        single = [pm(input_ids=torch.tensor([s])).logits[0] for s in seqs]
        T, p = max(len(s) for s in seqs), task["pad_token_id"]
        batch = torch.tensor([s + [p] * (T - len(s)) for s in seqs])
        batched = pm(input_ids=batch, attention_mask=(batch != p).long()).logits
    for a, b in zip(single, batched):
        assert (a - b).abs().max() < 1e-5, (a, b)
    write_json(os.path.join(adapter_dir, "peft_logits.json"),
               {"peft": peft.__version__, "transformers": transformers.__version__, "sequences": seqs,
                "logits": [l.tolist() for l in single]})
    print(f"PeftModel.from_pretrained (peft {peft.__version__}) loaded {adapter_dir}: {len(saved)} tensors, "
          f"logits e.g. {[round(x, 5) for x in single[0].tolist()]}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="fixtures directory to write the PEFT references into")
    ap.add_argument("--check-gpt4j", metavar="DIR", help="a directory with base/ and adapter/ written by gpt4j")
    args = ap.parse_args()
    if not args.out and not args.check_gpt4j:
        ap.error("give --out and/or --check-gpt4j")
    if args.out:
        seq_cls(args.out)
        causal_lm(args.out)
    if args.check_gpt4j:
        check_gpt4j(args.check_gpt4j)
