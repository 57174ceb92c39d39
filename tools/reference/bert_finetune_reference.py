#!/usr/bin/env python3
"""BERT fine-tuning fixtures from transformers itself: BertForSequenceClassification and
BertForMultipleChoice, the classes gpt4j's fine-tuned BERT must agree with.

    /work/venv-hf/bin/python tools/reference/bert_finetune_reference.py \
        --out core/src/test/resources/fixtures/bert-finetune

Needs transformers + torch (a venv: `pip install torch transformers`; CI never runs this). Writes:

  base/                         a random BertForPreTraining (seeded), save_pretrained's directory
                                (config.json, model.safetensors): the pre-trained model to fine-tune
  batch.json                    the sequences as gpt4j's BertTaskModel builds them, with BERT's ids
                                ([PAD] 0, [CLS] 2, [SEP] 3): entailment pairs [CLS] a [SEP] b [SEP] of
                                different lengths (right-padded), and multiple-choice examples
                                [CLS] context [SEP] option [SEP]; the labels; token_type_ids and
                                attention_mask as transformers' tokenizer makes them
  sequence-classification.safetensors, multiple-choice.safetensors
                                the head transformers drew (classifier.weight, classifier.bias), the
                                logits, the loss (mean cross-entropy) and grad.<name> of the loss for
                                every parameter, under transformers' names

Dropout is 0 so the run is deterministic. The weights are drawn with std 0.3, not BERT's 0.02:
at 0.02 this small model's gradients nearly cancel (transformers' own float32 run is 1e-4 away
from its float64 one), and a fixture that float32 cannot resolve tests nothing. The weights are stored in float32 (gpt4j's) and the
reference runs them in float64 (`model.double()`: the same values, no rounding in the sums), so
what the Java test measures is gpt4j's own float32 error.
"""
import argparse, json, os
import torch
import transformers
from safetensors.torch import save_file
from transformers import BertConfig, BertForMultipleChoice, BertForPreTraining, BertForSequenceClassification

PAD, CLS, SEP = 0, 2, 3

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", required=True)
args = ap.parse_args()
torch.manual_seed(1234)
torch.set_num_threads(2)

config = BertConfig(vocab_size=40, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                    max_position_embeddings=24, type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12,
                    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, pad_token_id=PAD, initializer_range=0.3)
base_dir = os.path.join(args.out, "base")
BertForPreTraining(config).save_pretrained(base_dir)

g = torch.Generator().manual_seed(7)


def words(n):
    return torch.randint(5, config.vocab_size, (n,), generator=g).tolist()


def padded(seqs):
    """input_ids, token_type_ids and attention_mask [len(seqs), T] as BertTokenizer pads a batch."""
    T = max(len(s) for s in seqs)
    ids, types, mask = [], [], []
    for s in seqs:
        first = s.index(SEP)
        ids.append(s + [PAD] * (T - len(s)))
        types.append([0] * (first + 1) + [1] * (len(s) - first - 1) + [0] * (T - len(s)))
        mask.append([1] * len(s) + [0] * (T - len(s)))
    return torch.tensor(ids), torch.tensor(types), torch.tensor(mask)


def run(model, ids, types, mask, labels, name):
    model.train()   # dropout is 0: train mode only makes the gradients flow as in fine-tuning
    out = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels)
    out.loss.backward()
    f32 = lambda t: t.detach().float().contiguous()
    tensors = {"logits": f32(out.logits), "loss": f32(out.loss).reshape(1)}
    for n, p in model.named_parameters():
        if n.startswith("classifier."):
            tensors[n] = f32(p)
        tensors["grad." + n] = f32(p.grad)
    save_file(tensors, os.path.join(args.out, name + ".safetensors"), metadata={"format": "pt"})
    return out


# Entailment: three pairs of different lengths, three labels.
pairs = [[CLS] + words(a) + [SEP] + words(b) + [SEP] for a, b in ((3, 2), (6, 4), (1, 1))]
pair_labels = [2, 0, 1]
ids, types, mask = padded(pairs)
torch.manual_seed(11)
seq = BertForSequenceClassification.from_pretrained(base_dir, num_labels=3).double()
seq_out = run(seq, ids, types, mask, torch.tensor(pair_labels), "sequence-classification")
# Each row alone gives the same logits as in the padded batch (the padding is masked).
with torch.no_grad():
    seq.eval()
    for i, s in enumerate(pairs):
        alone = seq(input_ids=ids[i:i + 1, :len(s)], token_type_ids=types[i:i + 1, :len(s)],
                    attention_mask=mask[i:i + 1, :len(s)]).logits[0]
        assert (alone - seq_out.logits[i]).abs().max() < 1e-12, (alone, seq_out.logits[i])

# Multiple choice: two examples of three options each.
choices = []
for ctx in (4, 2):
    context = words(ctx)
    choices.append([[CLS] + context + [SEP] + words(n) + [SEP] for n in (2, 3, 1)])
choice_labels = [1, 2]
flat = [s for ex in choices for s in ex]
ids, types, mask = padded(flat)
E, N = len(choices), len(choices[0])
torch.manual_seed(12)
mc = BertForMultipleChoice.from_pretrained(base_dir).double()
run(mc, ids.view(E, N, -1), types.view(E, N, -1), mask.view(E, N, -1), torch.tensor(choice_labels), "multiple-choice")

batch = {"transformers": transformers.__version__, "torch": torch.__version__,
         "pad": PAD, "cls": CLS, "sep": SEP,
         "entailment": {"sequences": pairs, "labels": pair_labels, "num_labels": 3},
         "multiple_choice": {"examples": choices, "labels": choice_labels}}
with open(os.path.join(args.out, "batch.json"), "w") as f:
    json.dump(batch, f)
    f.write("\n")
print(f"transformers {transformers.__version__}, torch {torch.__version__}: wrote {args.out} "
      f"(entailment loss {seq_out.loss.item():.6f})")
