"""Attention layers: MultiHeadAttention, Attention (dot-product), AdditiveAttention."""

from .attention import AdditiveAttention, Attention
from .multi_head_attention import MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "MultiHeadAttention"]
