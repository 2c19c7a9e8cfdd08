"""Train course-lm on the tokenized course corpus (data/course-lm/{train,val}.bin).

    /usr/bin/python3 scripts/train/train.py                                 # the full run (~30-40 min, 2 cores)
    /usr/bin/python3 scripts/train/train.py --steps 40 --eval-every 20      # a smoke run (~2 min)
    /usr/bin/python3 scripts/train/train.py --bench [--threads 2] [sizes]   # tokens/s only, writes nothing

nanoGPT-style: sample random windows of the token stream, next-token cross-entropy, AdamW with
linear warm-up then cosine decay. Seeded: the same command on the same data gives the same
weights (on this CPU build with the same thread count).

Writes public/models/course-lm/training-log.json (config, loss/lr/tokens/time per step,
validation points, final numbers; the course's training lesson plots it), the checkpoint
data/course-lm/ckpt.pt that export.py reads, and ckpt-best.pt (lowest validation loss).
"""

import argparse
import json
import math
import os
import platform
import sys
import time
from dataclasses import asdict

# Two environment settings that must be in place before numpy/torch load, so the script
# re-executes itself once with them (values already in the environment win):
# - glibc's malloc hands every allocation over 128 KiB back to the kernel on free. Attention
#   tensors are tens of MB, so each step would fault fresh pages in again; on this VM page
#   faults are slow enough that this alone cost 2-3x in speed (measured). Keep freed memory.
# - OPENBLAS_NUM_THREADS, matching --threads (OpenBLAS reads it once at load).
if os.environ.get("COURSE_LM_REEXEC") != "1":
    threads = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--threads=")), None)
    if threads is None and "--threads" in sys.argv:
        threads = sys.argv[sys.argv.index("--threads") + 1]
    env = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40), "MALLOC_TOP_PAD_": str(256 << 20)}
    env = env | {k: v for k, v in os.environ.items()} | {"COURSE_LM_REEXEC": "1"}
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = threads  # an explicit --threads wins over the environment
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CourseLM, ModelConfig  # noqa: E402

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--data", default="data/course-lm")
p.add_argument("--ckpt", default="data/course-lm/ckpt.pt")
p.add_argument("--log", default="public/models/course-lm/training-log.json")
# model
p.add_argument("--d-model", type=int, default=256)
p.add_argument("--n-layers", type=int, default=4)
p.add_argument("--n-heads", type=int, default=8)
p.add_argument("--n-kv-heads", type=int, default=4)
p.add_argument("--d-ff", type=int, default=0)
p.add_argument("--dropout", type=float, default=0.1)
# run
p.add_argument("--seq-len", type=int, default=512)
p.add_argument("--batch-size", type=int, default=8)
p.add_argument("--steps", type=int, default=700)
p.add_argument("--warmup", type=int, default=0, help="warm-up steps (0 = 5%% of --steps)")
p.add_argument("--lr", type=float, default=2e-3)
p.add_argument("--min-lr-ratio", type=float, default=0.1)
p.add_argument("--weight-decay", type=float, default=0.1)
p.add_argument("--grad-clip", type=float, default=1.0)
p.add_argument("--eval-every", type=int, default=50)
p.add_argument("--seed", type=int, default=1337)
# What the model is trained to predict. The tutor documents are prompt (system, passages,
# question) + an answer copied from a passage; a window that starts mid-document can hold an
# answer without the passage it was copied from, which teaches the model to write answers from
# memory instead of copying (measured: no copied sentence at step 300 with random windows).
p.add_argument("--align", choices=["document", "random"], default="document", help="window starts: at a document start, or anywhere")
p.add_argument("--prompt-weight", type=float, default=0.2, help="loss weight of tokens outside assistant replies (replies weigh 1)")
p.add_argument("--threads", type=int, default=int(os.environ.get("OPENBLAS_NUM_THREADS", "1")))
p.add_argument("--bench", action="store_true", help="time a few steps and print tokens/s; writes nothing")
args = p.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
rng = np.random.default_rng(args.seed)  # batch positions: separate from torch's stream

meta = json.load(open(os.path.join(args.data, "meta.json")))
train_data = np.fromfile(os.path.join(args.data, "train.bin"), dtype=np.uint16).astype(np.int64)
val_data = np.fromfile(os.path.join(args.data, "val.bin"), dtype=np.uint16).astype(np.int64)
train_answer = np.fromfile(os.path.join(args.data, "train.answer.bin"), dtype=np.uint8).astype(np.float32)
val_answer = np.fromfile(os.path.join(args.data, "val.answer.bin"), dtype=np.uint8).astype(np.float32)
# Window starts: every document start (the position after an <|endoftext|>) that leaves a whole window.
doc_starts = np.flatnonzero(train_data[:-1] == meta["eos_token_id"]) + 1
doc_starts = doc_starts[doc_starts < len(train_data) - args.seq_len - 1]
assert len(train_data) > args.seq_len + 1, "training data shorter than one window: is the corpus empty?"

cfg = ModelConfig(
    vocab_size=meta["vocab_size"],
    d_model=args.d_model,
    n_layers=args.n_layers,
    n_heads=args.n_heads,
    n_kv_heads=args.n_kv_heads,
    d_ff=args.d_ff,
    dropout=args.dropout,
)
model = CourseLM(cfg)
n_params = model.num_params()
warmup = args.warmup or max(1, args.steps // 20)


def get_batch():
    """Windows of the token stream, starting at a document start (--align document) or anywhere.
    Windows run on across document boundaries; <|endoftext|> marks them, and the model learns
    that what follows it is a fresh start. Returns inputs, targets and each target's loss weight."""
    if args.align == "document":
        ix = doc_starts[rng.integers(0, len(doc_starts), size=args.batch_size)]
    else:
        ix = rng.integers(0, len(train_data) - args.seq_len - 1, size=args.batch_size)
    x = torch.from_numpy(np.stack([train_data[i : i + args.seq_len] for i in ix]))
    y = torch.from_numpy(np.stack([train_data[i + 1 : i + 1 + args.seq_len] for i in ix]))
    a = np.stack([train_answer[i + 1 : i + 1 + args.seq_len] for i in ix])
    w = torch.from_numpy(a + (1 - a) * args.prompt_weight)
    return x, y, w


def weighted_loss(logits, y, w):
    """Cross-entropy averaged with per-token weights (all 1: the plain mean)."""
    ce = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="none")
    return (ce * w.view(-1)).sum() / w.sum()


def lr_at(step):
    """Linear warm-up to --lr, then a cosine down to --lr * --min-lr-ratio at the last step."""
    if step < warmup:
        return args.lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, args.steps - warmup)
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def windows(data, max_windows=None):
    """Non-overlapping windows covering `data` in order: a fixed, deterministic evaluation set."""
    n = (len(data) - 1) // args.seq_len
    starts = [i * args.seq_len for i in range(n)]
    if max_windows is not None and n > max_windows:  # evenly spaced subset for the train estimate
        starts = [starts[int(i * n / max_windows)] for i in range(max_windows)]
    return starts


@torch.no_grad()
def evaluate(data, answer, starts):
    """Mean next-token loss (nats/token) over the given windows: of every token, and of the
    tokens of assistant replies alone (the copied answers)."""
    model.eval()
    total, count, ans_total, ans_count = 0.0, 0, 0.0, 0.0
    for b in range(0, len(starts), args.batch_size):
        s = starts[b : b + args.batch_size]
        x = torch.from_numpy(np.stack([data[i : i + args.seq_len] for i in s]))
        y = torch.from_numpy(np.stack([data[i + 1 : i + 1 + args.seq_len] for i in s]))
        a = torch.from_numpy(np.stack([answer[i + 1 : i + 1 + args.seq_len] for i in s]))
        logits, _ = model(x)
        ce = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="none")
        total += ce.sum().item()
        count += y.numel()
        ans_total += (ce * a.view(-1)).sum().item()
        ans_count += a.sum().item()
    model.train()
    return total / max(1, count), ans_total / max(1.0, ans_count)


# Weight decay on matrices only: decaying norm gains would fight the normalisation itself.
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW(
    [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
    lr=args.lr,
    betas=(0.9, 0.95),
)

tokens_per_step = args.batch_size * args.seq_len
print(
    f"course-lm: {n_params:,} parameters ({cfg.d_model}x{cfg.n_layers}, heads {cfg.n_heads}/{cfg.n_kv_heads}, ff {cfg.d_ff}, vocab {cfg.vocab_size})\n"
    f"  data: {len(train_data):,} train / {len(val_data):,} val tokens; {tokens_per_step:,} tokens per step; "
    f"{args.steps} steps = {args.steps * tokens_per_step:,} tokens = {args.steps * tokens_per_step / len(train_data):.1f} epochs; threads {args.threads}",
    flush=True,
)

if args.bench:
    # Warm up 5 steps (the allocator grows its heap, BLAS buffers), then time 5 full optimiser steps.
    for i in range(10):
        if i == 5:
            t0, c0 = time.time(), time.process_time()
        x, y, w = get_batch()
        logits, _ = model(x)
        loss = weighted_loss(logits, y, w)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    # Wall-clock speed is what a run takes; CPU time per token says what it would take on an
    # otherwise idle machine (process_time sums all threads, so divide by the thread count).
    wall, cpu = time.time() - t0, time.process_time() - c0
    print(
        f"BENCH params={n_params} d={cfg.d_model} L={cfg.n_layers} heads={cfg.n_heads}/{cfg.n_kv_heads} T={args.seq_len} B={args.batch_size} "
        f"threads={args.threads} tokens/s={5 * tokens_per_step / wall:.0f} (wall) {5 * tokens_per_step * args.threads / cpu:.0f} (if idle: from CPU time)"
    )
    sys.exit(0)

val_starts = windows(val_data)
train_eval_starts = windows(train_data, max_windows=max(8, len(val_starts)))  # same size as val: a fair pair
log = {
    "model": "course-lm",
    "config": asdict(cfg) | {"head_dim": cfg.head_dim},
    "parameters": n_params,
    "train_args": vars(args) | {"warmup": warmup},
    "data": {"train_tokens": int(len(train_data)), "val_tokens": int(len(val_data)), **meta},
    "environment": {"torch": torch.__version__, "python": platform.python_version(), "threads": args.threads},
    "tokens_per_step": tokens_per_step,
    "steps": [],  # {step, loss, lr, tokens, time_s}: the training loss of each step's batch
    "eval": [],  # {step, tokens, train_loss, val_loss, time_s}: fixed windows, no dropout
    "final": None,
}


def write_log():
    os.makedirs(os.path.dirname(args.log) or ".", exist_ok=True)
    tmp = args.log + ".tmp"
    with open(tmp, "w") as f:
        json.dump(log, f, separators=(",", ":"))
    os.replace(tmp, args.log)


def save_checkpoint(path, extra):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.save({"config": asdict(cfg), "model": model.state_dict(), "args": vars(args), "meta": meta, **extra}, path)


best_path = os.path.splitext(args.ckpt)[0] + "-best.pt"


def eval_point(step, t_start):
    (tl, ta), (vl, va) = evaluate(train_data, train_answer, train_eval_starts), evaluate(val_data, val_answer, val_starts)
    point = {
        "step": step,
        "tokens": step * tokens_per_step,
        "train_loss": round(tl, 4),
        "val_loss": round(vl, 4),
        "train_answer_loss": round(ta, 4),
        "val_answer_loss": round(va, 4),
        "time_s": round(time.time() - t_start, 1),
    }
    improved = step > 0 and all(vl < e["val_loss"] for e in log["eval"])
    log["eval"].append(point)
    print(f"  eval @ {step}: train {tl:.4f}  val {vl:.4f}  (val ppl {math.exp(vl):.1f})  answers: train {ta:.4f}  val {va:.4f}{'  *best' if improved else ''}", flush=True)
    write_log()
    # The lowest-validation-loss weights are kept too (ckpt-best.pt), so the exported model can
    # be the early-stopped one instead of the last (export.py --ckpt data/course-lm/ckpt-best.pt).
    if improved:
        save_checkpoint(best_path, {"final": {"step": step, "val_loss": point["val_loss"], "train_loss": point["train_loss"]}})
    return point


t_start = time.time()
eval_point(0, t_start)
model.train()
for step in range(args.steps):
    lr = lr_at(step)
    for g in opt.param_groups:
        g["lr"] = lr
    x, y, w = get_batch()
    logits, _ = model(x)
    loss = weighted_loss(logits, y, w)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
    opt.step()

    elapsed = time.time() - t_start
    log["steps"].append({"step": step + 1, "loss": round(loss.item(), 4), "lr": float(f"{lr:.6g}"), "tokens": (step + 1) * tokens_per_step, "time_s": round(elapsed, 2)})
    if (step + 1) % 10 == 0 or step == 0:
        done = (step + 1) / args.steps
        eta = elapsed / done - elapsed
        print(f"step {step + 1:5d}/{args.steps}  loss {loss.item():.4f}  lr {lr:.2e}  {(step + 1) * tokens_per_step / elapsed:,.0f} tok/s  eta {eta / 60:.1f} min", flush=True)
    if (step + 1) % args.eval_every == 0 and step + 1 != args.steps:
        eval_point(step + 1, t_start)

final = eval_point(args.steps, t_start)
wall = time.time() - t_start
log["final"] = {
    "step": args.steps,
    "tokens_seen": args.steps * tokens_per_step,
    "epochs": round(args.steps * tokens_per_step / len(train_data), 2),
    "train_loss": final["train_loss"],
    "val_loss": final["val_loss"],
    "train_perplexity": round(math.exp(final["train_loss"]), 2),
    "val_perplexity": round(math.exp(final["val_loss"]), 2),
    "best_val": min(log["eval"], key=lambda e: e["val_loss"]),
    "wall_time_s": round(wall, 1),
    "tokens_per_s": round(args.steps * tokens_per_step / wall),
}
write_log()
save_checkpoint(args.ckpt, {"final": log["final"]})
print(f"done in {wall / 60:.1f} min: train {final['train_loss']:.4f}  val {final['val_loss']:.4f} → {args.ckpt}, {args.log}")
