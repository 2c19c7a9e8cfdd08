"""Export a decoder built by model.py to ONNX in the layout transformers.js loads.

Used by export.py (course-lm) and scripts/models/standins.py (the random-weight stand-ins of the
hub presets). The interface is the one transformers.js's decoder classes feed and read:
  inputs   input_ids [batch_size, sequence_length] int64
           attention_mask [batch_size, total_sequence_length] int64
           position_ids [batch_size, sequence_length] int64
           past_key_values.{i}.key|value [batch_size, n_kv_heads, past_sequence_length, head_dim]
  outputs  logits [batch_size, sequence_length, vocab]
           present.{i}.key|value [batch_size, n_kv_heads, total_sequence_length, head_dim]
Heads and head_dim must be fixed numbers and the batch axis must be called exactly
"batch_size": transformers.js builds the empty first-step cache from these shapes.
"""

import json
import os

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper


class OnnxDecoder(torch.nn.Module):
    """Flat tensors in, flat tensors out: the calling convention torch.onnx.export needs."""

    def __init__(self, m):
        super().__init__()
        self.m = m
        self.n_layers = m.cfg.n_layers

    def forward(self, input_ids, attention_mask, position_ids, *past):
        pkv = [(past[2 * i], past[2 * i + 1]) for i in range(self.n_layers)]
        logits, presents = self.m(input_ids, attention_mask, position_ids, pkv)
        return (logits, *[t for kv in presents for t in kv])


def export_decoder(model, onnx_path):
    """Write `model` (model.CourseLM, eval mode) as an fp32 decoder with KV cache (opset 14)."""
    cfg = model.cfg
    L = cfg.n_layers
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

    os.makedirs(os.path.dirname(onnx_path), exist_ok=True)
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
    share_tied_embedding(onnx_path)
    size_mb = os.path.getsize(onnx_path) / 1e6
    print(f"wrote {onnx_path} ({size_mb:.1f} MB)")


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


def hf_config(cfg, *, model_type, architecture, bos, eos, pad):
    """config.json for a model.py decoder: the Hugging Face names transformers.js reads."""
    return {
        "architectures": [architecture],
        "model_type": model_type,
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
        "attention_bias": cfg.attention_bias,
        "mlp_bias": False,
        "tie_word_embeddings": True,
        "initializer_range": 0.02,
        "bos_token_id": bos,
        "eos_token_id": eos,
        "pad_token_id": pad,
        "torch_dtype": "float32",
        "use_cache": True,
        # Without this the browser (WASM) would pick the 8-bit file by default.
        "transformers.js_config": {"dtype": "fp32"},
    }


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
