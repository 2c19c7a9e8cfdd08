"""course-lm: a small Llama-style decoder, in one file.

    token ids -> embedding -> n_layers x [RMSNorm -> attention (RoPE) -> + ; RMSNorm -> SwiGLU -> +]
              -> RMSNorm -> logits (the embedding matrix again: tied weights)

The same forward serves training (whole sequences, no cache) and inference/export (a chunk of
new tokens plus the keys/values of everything before it). Keeping one code path is what lets
the ONNX export be checked against PyTorch exactly.

Conventions follow Hugging Face's Llama so that config.json means what it says there:
rotate-half RoPE, RMSNorm with a learned scale and no bias, no biases in linear layers, and
grouped-query attention (n_kv_heads <= n_heads, each key/value head shared by a group of
query heads).
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 4096
    d_model: int = 256
    n_layers: int = 4
    n_heads: int = 8
    n_kv_heads: int = 4
    d_ff: int = 0  # SwiGLU hidden size; 0 = about 8/3 * d_model rounded up to a multiple of 32
    max_seq_len: int = 512  # the context the app allows; RoPE itself has no table to outgrow
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    dropout: float = 0.0
    # Biases on the query/key/value projections: Qwen2's one difference from Llama here (the
    # stand-ins of scripts/train/standins.py); course-lm has none.
    attention_bias: bool = False

    def __post_init__(self):
        if self.d_ff == 0:
            # SwiGLU has three matrices instead of two; 8/3 keeps the parameter count of a
            # classic 4x MLP (Shazeer 2020, and Llama).
            self.d_ff = 32 * math.ceil(8 * self.d_model / 3 / 32)
        assert self.d_model % self.n_heads == 0, "d_model must split evenly into heads"
        assert self.n_heads % self.n_kv_heads == 0, "query heads must group evenly over key/value heads"

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads


class RMSNorm(nn.Module):
    """Scale each vector to unit root-mean-square, then by a learned per-channel gain.
    Cheaper than LayerNorm (no mean subtraction, no bias) and what Llama uses."""

    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_cos_sin(position_ids, head_dim: int, theta: float):
    """cos/sin tables for the given positions, shape [batch, 1, seq, head_dim].

    Computed from position_ids on every call rather than sliced from a precomputed table, so the
    exported graph works for any position and with the positions transformers.js passes in."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = position_ids.to(torch.float32)[..., None] * inv_freq  # [B, T, head_dim/2]
    emb = torch.cat([freqs, freqs], dim=-1)  # rotate-half layout: first half pairs with second half
    return emb.cos()[:, None], emb.sin()[:, None]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x, cos, sin):
    # Rotates each (i, i + head_dim/2) pair of channels by an angle proportional to the position,
    # so the dot product of a query and a key depends on how far apart they are.
    return x * cos + rotate_half(x) * sin


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_heads, self.n_kv_heads, self.head_dim = cfg.n_heads, cfg.n_kv_heads, cfg.head_dim
        self.q_proj = nn.Linear(cfg.d_model, cfg.n_heads * cfg.head_dim, bias=cfg.attention_bias)
        self.k_proj = nn.Linear(cfg.d_model, cfg.n_kv_heads * cfg.head_dim, bias=cfg.attention_bias)
        self.v_proj = nn.Linear(cfg.d_model, cfg.n_kv_heads * cfg.head_dim, bias=cfg.attention_bias)
        self.o_proj = nn.Linear(cfg.n_heads * cfg.head_dim, cfg.d_model, bias=False)
        self.dropout = cfg.dropout

    def forward(self, x, cos, sin, mask, past_kv=None):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.n_heads, self.head_dim).transpose(1, 2)  # [B, H, T, hd]
        k = self.k_proj(x).view(B, T, self.n_kv_heads, self.head_dim).transpose(1, 2)  # [B, KV, T, hd]
        v = self.v_proj(x).view(B, T, self.n_kv_heads, self.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if past_kv is not None:
            # The cache holds keys after RoPE, so cached entries never need re-rotating.
            k = torch.cat([past_kv[0], k], dim=2)
            v = torch.cat([past_kv[1], v], dim=2)
        present = (k, v)

        # Grouped-query attention without copying K/V: view the query heads as
        # [KV groups, queries per group] and let matmul broadcast each K/V head over its group.
        group = self.n_heads // self.n_kv_heads
        q = q.view(B, self.n_kv_heads, group, T, self.head_dim)
        att = (q @ k.unsqueeze(2).transpose(-1, -2)) / math.sqrt(self.head_dim)  # [B, KV, G, T, S]
        att = att + mask[:, :, None]  # additive mask [B, 1, 1, T, S]: 0 = may attend, -1e9 = may not
        att = F.softmax(att, dim=-1)
        if self.training and self.dropout > 0:
            att = F.dropout(att, self.dropout)
        y = (att @ v.unsqueeze(2)).reshape(B, self.n_heads, T, self.head_dim)
        y = y.transpose(1, 2).reshape(B, T, self.n_heads * self.head_dim)
        return self.o_proj(y), present


class SwiGLU(nn.Module):
    """MLP with a gated unit: down(silu(gate(x)) * up(x))."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.d_model, cfg.d_ff, bias=False)
        self.up_proj = nn.Linear(cfg.d_model, cfg.d_ff, bias=False)
        self.down_proj = nn.Linear(cfg.d_ff, cfg.d_model, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.mlp = SwiGLU(cfg)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x, cos, sin, mask, past_kv=None):
        # Pre-norm residual blocks: the residual stream itself is never normalised, which keeps
        # gradients well behaved without careful initialisation.
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_kv)
        x = x + self.dropout(a)
        x = x + self.dropout(self.mlp(self.post_attention_layernorm(x)))
        return x, present


class CourseLM(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layers)])
        self.norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)
        self.apply(self._init_weights)
        # GPT-2's trick: shrink the projections that write into the residual stream by
        # 1/sqrt(2 * n_layers), so the stream's variance does not grow with depth.
        for name, p in self.named_parameters():
            if name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layers))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())  # the tied matrix is counted once

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None):
        """input_ids [B, T]; attention_mask [B, past + T] (1 = real token, 0 = padding);
        position_ids [B, T]; past_key_values: list of (key, value), each [B, n_kv_heads, past, hd].
        Returns logits [B, T, vocab] and the new cache (past + these T positions)."""
        B, T = input_ids.shape
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        if attention_mask is None:
            attention_mask = torch.ones(B, past_len + T, dtype=torch.long)
        S = attention_mask.shape[1]  # keys: everything cached plus the new tokens
        if position_ids is None:
            position_ids = torch.arange(S - T, S, dtype=torch.long)[None].expand(B, T)

        # Query i (absolute index S - T + i) may see key j if j <= that index (causal) and key j
        # is a real token (attention_mask). Additive form: 0 where allowed, -1e9 where not; a
        # large finite number rather than -inf so a row that is all padding cannot produce NaN.
        q_idx = torch.arange(T)[:, None] + (S - T)
        k_idx = torch.arange(S)[None, :]
        allowed = (k_idx <= q_idx)[None, None] & (attention_mask[:, None, None, :] > 0)  # [B, 1, T, S]
        mask = torch.zeros(allowed.shape, dtype=torch.float32).masked_fill(~allowed, -1e9)

        cos, sin = rope_cos_sin(position_ids, self.cfg.head_dim, self.cfg.rope_theta)
        x = self.dropout(self.embed_tokens(input_ids))
        presents = []
        for i, layer in enumerate(self.layers):
            x, present = layer(x, cos, sin, mask, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        x = self.norm(x)
        logits = F.linear(x, self.embed_tokens.weight)  # tied: the output layer is the embedding
        return logits, presents
