"""Make the 8-bit variant of course-lm from onnx/model.onnx, with the `onnx` package alone.

    /usr/bin/python3 scripts/train/quantize.py [--dir public/models/course-lm]

Writes onnx/model_quantized.onnx: transformers.js loads it for dtype "q8" (suffix
`_quantized`; q8 is also what it picks by default on WASM when config.json names no dtype).

Dynamic quantization, as onnxruntime's quantize_dynamic does it (there is no onnxruntime for
Python here):
  - weights: int8, symmetric, one scale per output column (per channel), computed once here;
  - activations: quantized on the fly per tensor by DynamicQuantizeLinear (uint8 + zero point);
  - MatMulInteger multiplies the integers (int32 accumulator); the result is cast back to float
    and scaled by activation_scale * column_scale.
So every weight matrix is stored in a quarter of the bytes and the matmuls run in integers.
The tied embedding is one int8 matrix shared by the output layer (a MatMulInteger) and the
input lookup (a Gather of int8 columns, then multiplied by those columns' scales).
Norm gains stay float32 (a few hundred numbers). The logits differ from fp32 slightly; the
checks require the same top-1 token on a fixed set of prompts.
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

p = argparse.ArgumentParser()
p.add_argument("--dir", default="public/models/course-lm")
args = p.parse_args()
src = os.path.join(args.dir, "onnx", "model.onnx")
dst = os.path.join(args.dir, "onnx", "model_quantized.onnx")

m = onnx.load(src)
g = m.graph
inits = {t.name: t for t in g.initializer}
new_inits = {}  # name -> numpy array
quantized = {}  # fp32 weight name -> (int8 name, column-scale name)


def quantize_weight(name):
    """W [K, N] -> int8 W_q and per-column scales s [N] with W ~= W_q * s."""
    if name not in quantized:
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        s = np.abs(w).max(axis=0) / 127.0
        s = np.where(s == 0, 1.0, s).astype(np.float32)  # an all-zero column: any scale works
        wq = np.clip(np.round(w / s), -127, 127).astype(np.int8)
        new_inits[name + "_int8"] = wq
        new_inits[name + "_scale"] = s
        quantized[name] = (name + "_int8", name + "_scale")
    return quantized[name]


activation_q = {}  # activation name -> (uint8, scale, zero point): shared by q/k/v and gate/up
nodes = []
for node in g.node:
    if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
        a, w = node.input
        wq, ws = quantize_weight(w)
        if a not in activation_q:
            activation_q[a] = (a + "_u8", a + "_scale", a + "_zp")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(activation_q[a]), name=a + "_dql"))
        aq, a_scale, a_zp = activation_q[a]
        out = node.output[0]
        nodes += [
            helper.make_node("MatMulInteger", [aq, wq, a_zp], [out + "_i32"], name=node.name + "_int"),
            helper.make_node("Cast", [out + "_i32"], [out + "_f32"], to=TensorProto.FLOAT, name=node.name + "_cast"),
            helper.make_node("Mul", [a_scale, ws], [out + "_scale"], name=node.name + "_scale"),
            helper.make_node("Mul", [out + "_f32", out + "_scale"], [out], name=node.name + "_dequant"),
        ]
    elif node.op_type == "Gather" and node.input[0] in inits and len(inits[node.input[0]].dims) == 2:
        # The embedding lookup on the shared W^T [d, vocab] (see export.py): gather int8 columns
        # and the same columns' scales, multiply.
        wt, ids = node.input
        axis = next(a.i for a in node.attribute if a.name == "axis")
        assert axis == 1, "expected the embedding lookup to gather columns of W^T"
        wq, ws = quantize_weight(wt)
        out = node.output[0]
        nodes += [
            helper.make_node("Gather", [wq, ids], [out + "_i8"], axis=1, name=node.name + "_int"),
            helper.make_node("Cast", [out + "_i8"], [out + "_f32"], to=TensorProto.FLOAT, name=node.name + "_cast"),
            helper.make_node("Gather", [ws, ids], [out + "_scale"], axis=0, name=node.name + "_scale"),
            helper.make_node("Mul", [out + "_f32", out + "_scale"], [out], name=node.name + "_dequant"),  # [d,B,T] * [B,T]
        ]
    else:
        nodes.append(node)

del g.node[:]
g.node.extend(nodes)
for name in quantized:
    g.initializer.remove(inits[name])
g.initializer.extend(numpy_helper.from_array(arr, name) for name, arr in new_inits.items())
onnx.checker.check_model(m)
onnx.save(m, dst)
print(
    f"wrote {dst} ({os.path.getsize(dst) / 1e6:.1f} MB; fp32 {os.path.getsize(src) / 1e6:.1f} MB): "
    f"{len(quantized)} weight matrices int8 per-channel, {len(activation_q)} dynamically quantized activations"
)
