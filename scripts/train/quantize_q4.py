"""Make a 4-bit variant (transformers.js dtype "q4", file onnx/model_q4.onnx) from onnx/model.onnx.

    /usr/bin/python3 scripts/train/quantize_q4.py --dir test/fixtures/models/qwen2-standin

The layout of the hub's q4 exports: every weight matrix of a MatMul becomes onnxruntime's
MatMulNBits (com.microsoft): 4-bit integers in blocks of BLOCK along the input dimension, one
float scale per block and column, zero point 8 (symmetric). Activations stay float32. The embedding
lookup (a Gather of columns of the tied W^T, see onnx_export.py) reads a float16 copy of the table
and casts what it gathers to float32: the output layer's MatMul now reads the 4-bit blocks, so the
float32 table would be a second full copy. Used for the hub presets' stand-ins, whose default
weight format on the hub is q4.

MatMulNBits' packing: B is [N, blocks, BLOCK / 2] uint8, column n's block b holding its weights
k = b * BLOCK + j, two per byte, the even j in the low nibble; K is padded with zeros to a whole
number of blocks. The weight is (q - 8) * scale.
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BLOCK = 16

p = argparse.ArgumentParser()
p.add_argument("--dir", required=True)
args = p.parse_args()
src = os.path.join(args.dir, "onnx", "model.onnx")
dst = os.path.join(args.dir, "onnx", "model_q4.onnx")

m = onnx.load(src)
g = m.graph
inits = {t.name: t for t in g.initializer}
new_inits = []
replaced = 0
nodes = []
used_by_other = {i for n in g.node if n.op_type not in ("MatMul", "Gather") for i in n.input}
dropped = set()
for node in g.node:
    if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
        a, wname = node.input
        w = numpy_helper.to_array(inits[wname]).astype(np.float32)  # [K, N]
        K, N = w.shape
        blocks = -(-K // BLOCK)
        padded = np.zeros((blocks * BLOCK, N), np.float32)
        padded[:K] = w
        cols = padded.T.reshape(N, blocks, BLOCK)  # [N, blocks, BLOCK]
        scale = np.abs(cols).max(axis=2) / 7.0
        scale = np.where(scale == 0, 1.0, scale).astype(np.float32)  # [N, blocks]
        q = np.clip(np.round(cols / scale[..., None]), -8, 7).astype(np.int32) + 8  # 0..15
        packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)  # [N, blocks, BLOCK/2]
        qname, sname = wname + "_q4", wname + "_q4_scale"
        new_inits += [numpy_helper.from_array(packed, qname), numpy_helper.from_array(scale.reshape(-1), sname)]
        nodes.append(
            helper.make_node("MatMulNBits", [a, qname, sname], [node.output[0]], name=node.name + "_q4", domain="com.microsoft", K=K, N=N, bits=4, block_size=BLOCK)
        )
        if wname not in used_by_other:
            dropped.add(wname)
        replaced += 1
    elif node.op_type == "Gather" and node.input[0] in inits and len(inits[node.input[0]].dims) == 2:
        table, ids = node.input
        half = table + "_fp16"
        new_inits.append(numpy_helper.from_array(numpy_helper.to_array(inits[table]).astype(np.float16), half))
        out = node.output[0]
        nodes += [
            helper.make_node("Gather", [half, ids], [out + "_fp16"], name=node.name + "_fp16", axis=next(a.i for a in node.attribute if a.name == "axis")),
            helper.make_node("Cast", [out + "_fp16"], [out], to=TensorProto.FLOAT, name=node.name + "_cast"),
        ]
        dropped.add(table)
    else:
        nodes.append(node)

del g.node[:]
g.node.extend(nodes)
for name in dropped:
    g.initializer.remove(inits[name])
g.initializer.extend(new_inits)
if not any(o.domain == "com.microsoft" for o in m.opset_import):
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
onnx.save(m, dst)
onnx.checker.check_model(m)
print(f"wrote {dst} ({os.path.getsize(dst) / 1e6:.1f} MB; fp32 {os.path.getsize(src) / 1e6:.1f} MB): {replaced} weight matrices as 4-bit blocks of {BLOCK}, the lookup table in float16")
