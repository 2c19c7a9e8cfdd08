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

The ONNX interface (what transformers.js's LlamaForCausalLM feeds and reads, as its
Llama exports on the Hugging Face hub name them):
  inputs   input_ids [batch_size, sequence_length] int64
           attention_mask [batch_size, total_sequence_length] int64
           position_ids [batch_size, sequence_length] int64
           past_key_values.{i}.key|value [batch_size, n_kv_heads, past_sequence_length, head_dim] float32
  outputs  logits [batch_size, sequence_length, vocab]
           present.{i}.key|value [batch_size, n_kv_heads, total_sequence_length, head_dim]
Heads and head_dim must be fixed numbers and the batch axis must be called exactly
"batch_size": transformers.js builds the empty first-step cache from these shapes.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CourseLM, ModelConfig  # noqa: E402

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
L = cfg.n_layers


class OnnxDecoder(torch.nn.Module):
    """Flat tensors in, flat tensors out: the calling convention torch.onnx.export needs."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, position_ids, *past):
        pkv = [(past[2 * i], past[2 * i + 1]) for i in range(L)]
        logits, presents = self.m(input_ids, attention_mask, position_ids, pkv)
        return (logits, *[t for kv in presents for t in kv])


# Trace with every dynamic size different (batch 2, 3 new tokens, 5 cached) so no size can be
# mistaken for another and frozen into the graph as a constant.
B, T, P = 2, 3, 5
dummy_past = []
for _ in range(L):
    dummy_past += [torch.randn(B, cfg.n_kv_heads, P, cfg.head_dim), torch.randn(B, cfg.n_kv_heads, P, cfg.head_dim)]
dummy = (
    torch.randint(0, cfg.vocab_size, (B, T)),
    torch.ones(B, P + T, dtype=torch.long),
    torch.arange(P, P + T)[None].expand(B, T).contiguous(),
    *dummy_past,
)
past_names = [f"past_key_values.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
present_names = [f"present.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
dynamic_axes = {
    "input_ids": {0: "batch_size", 1: "sequence_length"},
    "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
    "position_ids": {0: "batch_size", 1: "sequence_length"},
    "logits": {0: "batch_size", 1: "sequence_length"},
}
dynamic_axes |= {n: {0: "batch_size", 2: "past_sequence_length"} for n in past_names}
dynamic_axes |= {n: {0: "batch_size", 2: "total_sequence_length"} for n in present_names}

onnx_dir = os.path.join(args.out, "onnx")
os.makedirs(onnx_dir, exist_ok=True)
onnx_path = os.path.join(onnx_dir, "model.onnx")
with torch.no_grad():
    torch.onnx.export(
        OnnxDecoder(model),
        dummy,
        onnx_path,
        input_names=["input_ids", "attention_mask", "position_ids", *past_names],
        output_names=["logits", *present_names],
        dynamic_axes=dynamic_axes,
        opset_version=14,
        do_constant_folding=True,
    )


def share_tied_embedding(path):
    """Keep one copy of the tied embedding matrix in the file.

    Constant folding turns the output layer's W^T into its own initializer [d, vocab], beside
    the embedding table W [vocab, d] the input Gather reads: the same numbers twice. Replace
    Gather(W, ids) by Transpose(Gather(W^T, ids, axis=1)), which reads the same rows from the
    one remaining copy, and drop W."""
    m = onnx.load(path)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    W = numpy_helper.to_array(inits[next(n.input[0] for n in g.node if n.op_type == "Gather" and n.input[0] in inits)])
    gather = next(n for n in g.node if n.op_type == "Gather" and n.input[0] in inits and numpy_helper.to_array(inits[n.input[0]]).shape == W.shape)
    wt_name = next(
        (name for name, t in inits.items() if tuple(t.dims) == W.T.shape and np.array_equal(numpy_helper.to_array(t), W.T)),
        None,
    )
    if wt_name is None:
        print("  embedding: output layer does not hold a separate transposed copy; nothing to share")
        return
    w_name, out = gather.input[0], gather.output[0]
    cols = out + "_cols"
    idx = list(g.node).index(gather)
    g.node.remove(gather)
    g.node.insert(idx, helper.make_node("Gather", [wt_name, gather.input[1]], [cols], axis=1, name="embed_gather_cols"))
    g.node.insert(idx + 1, helper.make_node("Transpose", [cols], [out], perm=[1, 2, 0], name="embed_transpose"))
    g.initializer.remove(inits[w_name])
    onnx.checker.check_model(m)
    onnx.save(m, path)
    print(f"  embedding: shared one {W.shape[0]}x{W.shape[1]} copy between input lookup and output layer")


share_tied_embedding(onnx_path)
size_mb = os.path.getsize(onnx_path) / 1e6
print(f"wrote {onnx_path} ({size_mb:.1f} MB)")

# ---- config.json / generation_config.json ----------------------------------------------------
config = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": cfg.vocab_size,
    "hidden_size": cfg.d_model,
    "intermediate_size": cfg.d_ff,
    "num_hidden_layers": cfg.n_layers,
    "num_attention_heads": cfg.n_heads,
    "num_key_value_heads": cfg.n_kv_heads,
    "head_dim": cfg.head_dim,
    "hidden_act": "silu",
    "max_position_embeddings": cfg.max_seq_len,
    "rope_theta": cfg.rope_theta,
    "rope_scaling": None,
    "rms_norm_eps": cfg.norm_eps,
    "attention_bias": False,
    "mlp_bias": False,
    "tie_word_embeddings": True,
    "initializer_range": 0.02,
    "bos_token_id": special["<|endoftext|>"],
    "eos_token_id": special["<|endoftext|>"],
    "pad_token_id": special["<|endoftext|>"],
    "torch_dtype": "float32",
    "use_cache": True,
    # Without this the browser (WASM) would pick the 8-bit file by default.
    "transformers.js_config": {"dtype": "fp32"},
}
with open(os.path.join(args.out, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
generation_config = {
    "bos_token_id": special["<|endoftext|>"],
    # A reply ends with <|end|>; <|endoftext|> also stops, in case the model ends the document.
    "eos_token_id": [special["<|end|>"], special["<|endoftext|>"]],
    "pad_token_id": special["<|endoftext|>"],
    "max_length": cfg.max_seq_len,
    "do_sample": False,
}
with open(os.path.join(args.out, "generation_config.json"), "w") as f:
    json.dump(generation_config, f, indent=2)
    f.write("\n")

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
