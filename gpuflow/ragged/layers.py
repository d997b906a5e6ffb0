"""The ragged side of Keras layers that take ragged batches (Embedding, pooling).

``Embedding`` and ``GlobalAveragePooling1D`` call these when their input is a
RaggedTensor, as Keras does: the ids are looked up value by value (the row partition is
kept), and pooling averages each row over its own length, never over padding.
"""

from __future__ import annotations

from ..ops.indexing import gather
from .ragged_tensor import RaggedTensor, _error


def embedding_lookup(embeddings, ids: RaggedTensor) -> RaggedTensor:
    """``embeddings[ids]`` for ragged ``ids`` ``[batch, (len)]``: ``[batch, (len), dim]``."""
    if not isinstance(ids, RaggedTensor):
        raise TypeError(
            f"ragged.embedding_lookup: expected RaggedTensor ids, received {type(ids).__name__}"
        )
    flat = ids.flat_values
    if flat.dtype.kind not in "iu":
        raise TypeError(
            f"ragged.embedding_lookup: ids must be integers, received {flat.dtype.name}"
        )
    vocab = embeddings.shape[0]
    if flat.shape[0] and (int(flat._data.min()) < 0 or int(flat._data.max()) >= vocab):
        raise _error(
            "ragged.embedding_lookup",
            f"ids must be in [0, {vocab}), received values in "
            f"[{int(flat._data.min())}, {int(flat._data.max())}]",
        )
    return ids.with_flat_values(gather(embeddings, flat))


def mean_over_rows(inputs: RaggedTensor):
    """Average of each row's values over its own length: ``[batch, (len), d] -> [batch, d]``
    (``GlobalAveragePooling1D`` on a ragged batch; an empty row gives NaN, as Keras/TF)."""
    if not isinstance(inputs, RaggedTensor) or inputs.ragged_rank != 1:
        raise _error("ragged.mean_over_rows", "expected a RaggedTensor of ragged_rank 1")
    from .reduce import reduce

    return reduce(inputs, "mean", 1, False)
