"""A second ONNX graph of course-lm that also says what happens inside: the inspector's
attention and logit-lens views (issue #15).

    /usr/bin/python3 scripts/train/internals.py [--dir public/models/course-lm] [--ckpt data/course-lm/ckpt.pt]

Reads onnx/model.onnx and writes onnx/model_internals.onnx: the same graph (same weights, same
inputs, same logits and KV cache) with extra outputs, for every layer l:
  attentions.{l}    [batch_size, n_kv_heads, heads_per_kv, sequence_length, total_sequence_length]
                    the attention weights after softmax (query head h = kv * heads_per_kv + g),
                    over every position the query can see (a masked position is exactly 0)
  hidden_states.{l} [batch_size, sequence_length, d_model]  the residual stream after block l
  lens_logits.{l}   [batch_size, sequence_length, vocab]    that stream through the final RMSNorm
                    and the (tied) output layer: the "logit lens". For the last layer it is the
                    model's own logits, computed by the same operations.
No PyTorch is needed for that: the graph already computes these tensors; they only become
outputs (and the lens re-uses the final norm's weight and the output matrix). The normal decode
path keeps using model.onnx, so it pays nothing for this.

With --ckpt (the trained checkpoint, as model:build has it), the new outputs are checked against
PyTorch on a fixed prompt (max |diff| < 1e-4, or the script fails) and reference-internals.json
is written: what test/integration/course-lm-internals.test.ts checks the transformers.js run
against, where PyTorch is not installed.
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

p = argparse.ArgumentParser()
p.add_argument("--dir", default="public/models/course-lm")
p.add_argument("--ckpt", default=None)
args = p.parse_args()

src = os.path.join(args.dir, "onnx", "model.onnx")
dst = os.path.join(args.dir, "onnx", "model_internals.onnx")
config = json.load(open(os.path.join(args.dir, "config.json")))
L = config["num_hidden_layers"]
KV = config["num_key_value_heads"]
G = config["num_attention_heads"] // KV
D = config["hidden_size"]
V = config["vocab_size"]

model = onnx.load(src)
graph = model.graph
nodes = {n.name: n for n in graph.node}


def node_output(name: str) -> str:
    if name not in nodes:
        sys.exit(f"internals.py: node {name} not found: model.onnx was not exported by export.py")
    return nodes[name].output[0]


# The final norm, as export.py's graph computes it: x * (1 / sqrt(mean(x^2) + eps)) * weight, then
# MatMul with the tied output matrix. The lens repeats exactly these operations on each layer's
# stream, with the same constants and weights, so the last layer's lens equals the logits.
pow_node, mean_node, add_node, div_node = nodes["/m/norm/Pow"], nodes["/m/norm/ReduceMean"], nodes["/m/norm/Add"], nodes["/m/norm/Div"]
two, eps, one = pow_node.input[1], add_node.input[1], div_node.input[0]
norm_weight = nodes["/m/norm/Mul_1"].input[1]
output_matrix = nodes["/m/MatMul"].input[1]

batch, seq, total = "batch_size", "sequence_length", "total_sequence_length"
for layer in range(L):
    attention = node_output(f"/m/layers.{layer}/self_attn/Softmax")
    stream = node_output(f"/m/layers.{layer}/Add_1")
    prefix = f"/internals/lens.{layer}"
    graph.node.extend(
        [
            helper.make_node("Pow", [stream, two], [f"{prefix}/pow"], name=f"{prefix}/Pow"),
            helper.make_node("ReduceMean", [f"{prefix}/pow"], [f"{prefix}/mean"], name=f"{prefix}/ReduceMean", axes=[-1], keepdims=1),
            helper.make_node("Add", [f"{prefix}/mean", eps], [f"{prefix}/add"], name=f"{prefix}/Add"),
            helper.make_node("Sqrt", [f"{prefix}/add"], [f"{prefix}/sqrt"], name=f"{prefix}/Sqrt"),
            helper.make_node("Div", [one, f"{prefix}/sqrt"], [f"{prefix}/inv"], name=f"{prefix}/Div"),
            helper.make_node("Mul", [stream, f"{prefix}/inv"], [f"{prefix}/normed"], name=f"{prefix}/Mul"),
            helper.make_node("Mul", [f"{prefix}/normed", norm_weight], [f"{prefix}/scaled"], name=f"{prefix}/Mul_1"),
            helper.make_node("MatMul", [f"{prefix}/scaled", output_matrix], [f"lens_logits.{layer}"], name=f"{prefix}/MatMul"),
            helper.make_node("Identity", [attention], [f"attentions.{layer}"], name=f"/internals/attentions.{layer}"),
            helper.make_node("Identity", [stream], [f"hidden_states.{layer}"], name=f"/internals/hidden_states.{layer}"),
        ]
    )
    graph.output.extend(
        [
            helper.make_tensor_value_info(f"attentions.{layer}", TensorProto.FLOAT, [batch, KV, G, seq, total]),
            helper.make_tensor_value_info(f"hidden_states.{layer}", TensorProto.FLOAT, [batch, seq, D]),
            helper.make_tensor_value_info(f"lens_logits.{layer}", TensorProto.FLOAT, [batch, seq, V]),
        ]
    )

onnx.checker.check_model(model)
onnx.save(model, dst)
print(f"wrote {dst} ({os.path.getsize(dst) / 1e6:.1f} MB): attentions, hidden_states, lens_logits for {L} layers")

if args.ckpt is None:
    sys.exit(0)

# ── The check against PyTorch ─────────────────────────────────────────────────────────────
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CourseLM, ModelConfig  # noqa: E402

ckpt = torch.load(args.ckpt, map_location="cpu")
cfg = ModelConfig(**ckpt["config"])
cfg.dropout = 0.0
torch_model = CourseLM(cfg)
torch_model.load_state_dict(ckpt["model"])
torch_model.eval()

reference = json.load(open(os.path.join(args.dir, "reference-logits.json")))
ids = torch.tensor([reference["ids"]], dtype=torch.long)
T = ids.shape[1]

# Capture each layer's attention weights (the softmax PyTorch computes) and each block's output.
captured = {"attention": [], "stream": []}
softmax = torch.nn.functional.softmax


def recording_softmax(x, dim=None, **kw):
    out = softmax(x, dim=dim, **kw)
    captured["attention"].append(out.detach())
    return out


hooks = [block.register_forward_hook(lambda _m, _i, out: captured["stream"].append(out[0].detach())) for block in torch_model.layers]
torch.nn.functional.softmax = recording_softmax
try:
    with torch.no_grad():
        logits, _ = torch_model(ids)
finally:
    torch.nn.functional.softmax = softmax
    for h in hooks:
        h.remove()

assert len(captured["attention"]) == L and len(captured["stream"]) == L, "expected one softmax and one block output per layer"
last_top = torch.argsort(logits[0, T - 1], descending=True)[:10].tolist()
assert last_top == reference["last"]["top_ids"][:10], "this checkpoint is not the one model.onnx was exported from"

with torch.no_grad():
    lens = [torch.nn.functional.linear(torch_model.norm(s), torch_model.embed_tokens.weight) for s in captured["stream"]]

def rounded(t):
    # 7 decimals: far below the 1e-4 the checks allow, and a third of the file.
    return np.round(t.numpy().astype(np.float64), 7).tolist()


# The last position, per layer: its attention row for each of the n_heads query heads, its stream, its lens logits.
out = {
    "prompt": reference["prompt"],
    "ids": reference["ids"],
    "layers": L,
    "heads": cfg.n_heads,
    "attention": [rounded(a[0, :, :, T - 1, :].reshape(cfg.n_heads, T)) for a in captured["attention"]],
    "hiddenStates": [rounded(s[0, T - 1]) for s in captured["stream"]],
    "lensLogits": [rounded(x[0, T - 1]) for x in lens],
}
assert torch.allclose(lens[-1], logits, atol=1e-5), "the last layer's lens is not the model's logits"

try:
    import onnxruntime as ort  # optional: the same comparison runs in the integration test through transformers.js
except ImportError:
    ort = None
if ort is not None:
    session = ort.InferenceSession(dst)
    feeds = {"input_ids": ids.numpy(), "attention_mask": np.ones((1, T), np.int64), "position_ids": np.arange(T, dtype=np.int64)[None]}
    for i in range(L):
        for kind in ("key", "value"):
            feeds[f"past_key_values.{i}.{kind}"] = np.zeros((1, KV, 0, D // cfg.n_heads), np.float32)
    names = [o.name for o in session.get_outputs()]
    got = dict(zip(names, session.run(None, feeds)))
    worst = 0.0
    for layer in range(L):
        worst = max(worst, float(np.abs(got[f"attentions.{layer}"][0, :, :, T - 1, :].reshape(cfg.n_heads, T) - np.array(out["attention"][layer])).max()))
        worst = max(worst, float(np.abs(got[f"hidden_states.{layer}"][0, T - 1] - np.array(out["hiddenStates"][layer])).max()))
        worst = max(worst, float(np.abs(got[f"lens_logits.{layer}"][0, T - 1] - np.array(out["lensLogits"][layer])).max()))
    print(f"onnxruntime vs PyTorch, internals of the last position: max |diff| {worst:.2e}")
    if worst >= 1e-4:
        sys.exit("internals.py: the internals graph disagrees with PyTorch")

with open(os.path.join(args.dir, "reference-internals.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {os.path.join(args.dir, 'reference-internals.json')}")
