"""Export a trained course-lm checkpoint in the layout transformers.js v4 loads.

    /usr/bin/python3 scripts/train/export.py [--ckpt data/course-lm/ckpt.pt] [--out public/models/course-lm]

Writes into --out (next to the tokenizer files the tokenizer trainer wrote there):
  onnx/model.onnx          fp32 decoder with KV cache (opset 14)
  config.json              model_type "llama" and everything transformers.js reads
  generation_config.json   eos = [<|end|>, <|endoftext|>]
  reference-logits.json    PyTorch's logits for a fixed prompt, for the checks in
                           test/integration/course-lm.test.ts
  embeddings.bin           the token embedding matrix, float32 little-endian, [vocab, d_model]
                           row-major, for the embedding demos (lib/embeddings/); its shape is in
                           config.json (vocab_size, hidden_size)
The int8 variant is made from model.onnx by quantize.py.

The ONNX interface is described in onnx_export.py.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CourseLM, ModelConfig  # noqa: E402
from onnx_export import export_decoder, hf_config, write_json  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--ckpt", default="data/course-lm/ckpt.pt")
p.add_argument("--out", default="public/models/course-lm")
p.add_argument("--meta", default="data/course-lm/meta.json")
args = p.parse_args()

ckpt = torch.load(args.ckpt, map_location="cpu")
cfg = ModelConfig(**ckpt["config"])
cfg.dropout = 0.0
model = CourseLM(cfg)
model.load_state_dict(ckpt["model"])
model.eval()
meta = json.load(open(args.meta))
special = meta["special_tokens"]

onnx_path = os.path.join(args.out, "onnx", "model.onnx")
export_decoder(model, onnx_path)

# ---- config.json / generation_config.json ----------------------------------------------------
eot = special["<|endoftext|>"]
write_json(os.path.join(args.out, "config.json"), hf_config(cfg, model_type="llama", architecture="LlamaForCausalLM", bos=eot, eos=eot, pad=eot))
generation_config = {
    "bos_token_id": eot,
    # A reply ends with <|end|>; <|endoftext|> also stops, in case the model ends the document.
    "eos_token_id": [special["<|end|>"], eot],
    "pad_token_id": eot,
    "max_length": cfg.max_seq_len,
    "do_sample": False,
}
write_json(os.path.join(args.out, "generation_config.json"), generation_config)

# ---- reference logits --------------------------------------------------------------------------
# PyTorch's logits for a fixed prompt (its ids come from the shipped tokenizer, via prepare.ts).
# Small on purpose: the last position's top 50 plus per-position summaries and a fixed sample of
# columns; enough to catch any mismatch in the exported graph at the 1e-4 level.
ref = meta["reference_prompt"]
ids = torch.tensor([ref["ids"]])
with torch.no_grad():
    logits, _ = model(ids)
logits = logits[0].double().numpy()  # [T, V]
last = logits[-1]
top = np.argsort(-last, kind="stable")[:50]
rng = np.random.default_rng(0)
sample_cols = sorted(rng.choice(cfg.vocab_size, size=16, replace=False).tolist())
reference = {
    "prompt": ref["text"],
    "ids": ref["ids"],
    "vocab_size": cfg.vocab_size,
    "last": {"top_ids": top.tolist(), "top_logits": [round(float(last[i]), 6) for i in top]},
    "sample_columns": sample_cols,
    "positions": [
        {
            "argmax": int(row.argmax()),
            "max": round(float(row.max()), 6),
            "mean": round(float(row.mean()), 6),
            "logsumexp": round(float(row.max() + math.log(np.exp(row - row.max()).sum())), 6),
            "sample": [round(float(row[c]), 6) for c in sample_cols],
        }
        for row in logits
    ],
    "checkpoint": {"step": ckpt.get("final", {}).get("step"), "val_loss": ckpt.get("final", {}).get("val_loss")},
}
with open(os.path.join(args.out, "reference-logits.json"), "w") as f:
    json.dump(reference, f, separators=(",", ":"))
# ---- embedding matrix --------------------------------------------------------------------------
# The same numbers as the ONNX graph's embedding initializer, as a flat file the browser can fetch
# without parsing ONNX (2 MB at 2,048 x 256).
embedding = model.embed_tokens.weight.detach().to(torch.float32).numpy()
embedding.astype("<f4").tofile(os.path.join(args.out, "embeddings.bin"))

print(f"wrote config.json, generation_config.json, embeddings.bin, reference-logits.json ({len(ref['ids'])}-token prompt; top-1 id {top[0]})")
