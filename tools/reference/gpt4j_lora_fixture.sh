#!/usr/bin/env bash
# Writes core/src/test/resources/fixtures/lora/gpt4j-adapter/: a tiny gpt4j base model (char
# tokenizer, 2 layers, 16 wide) and a LoRA adapter that `gpt4j finetune --lora-rank` trained on it
# (synthetic "a or b" texts), then has PEFT load that adapter and write adapter/peft_logits.json,
# which LoraAdapterDirectoryTest compares with gpt4j's logits.
#
#     tools/reference/gpt4j_lora_fixture.sh            (from the repository root; needs /work/venv-hf)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-/work/venv-hf/bin/python}"
fixture="$root/core/src/test/resources/fixtures/lora/gpt4j-adapter"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$fixture"
mkdir -p "$fixture"
python3 - "$work" <<'PY'
import random, sys
d, r = sys.argv[1], random.Random(1)
def write(name, n):
    with open(f"{d}/{name}", "w") as f:
        f.write("text\tlabel\n")
        for i in range(n):
            c = "ab"[i % 2]
            t = "".join(r.choice(" .xyz") if r.random() < 1 / 3 else c for _ in range(3 + r.randrange(12))).strip() or c
            f.write(f"{t}\t{c}\n")
write("train.tsv", 96)
write("dev.tsv", 32)
open(f"{d}/text.txt", "w").write("ab .xyz\n")
PY
cd "$fixture"
"$root/gpt4j" tokenizer train --type char --data "$work/text.txt" --out base
"$root/gpt4j" init --layers 2 --embd 16 --heads 2 --context 24 --vocab 8 --tokenizer base --out base --force
"$root/gpt4j" finetune --task classification --model base --train "$work/train.tsv" --dev "$work/dev.tsv" \
    --out "$work/out" --lora-rank 4 --lora-targets c_attn,c_proj,c_fc --epochs 2 --lr 3e-3 --batch 8 --json | tail -n 1
mkdir adapter
cp "$work/out/best/"* adapter/
"$python" "$root/tools/reference/peft_lora_reference.py" --check-gpt4j "$fixture" 2>&1 | grep -v '^Loading weights'
