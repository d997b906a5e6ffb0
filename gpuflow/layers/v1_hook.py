"""Where a layer called on TF 1 graph tensors goes: ``GRAPH_CALL[0](layer, inputs, args,
kwargs)``, installed by gpuflow/compat/v1_layers.py (layers import nothing of compat)."""

from __future__ import annotations

GRAPH_CALL: list = [None]
