"""Bucketed gradient allreduce: few large messages instead of one per variable.

Gradients are packed, in reverse order of the variables (the order backpropagation
produces them: last layer first), into flat buckets of about ``bucket_bytes`` (25 MB, as
PyTorch DDP's default) of one dtype each. Each bucket's non-blocking allreduce starts as
soon as the bucket is packed, so the network moves bucket k while bucket k+1 is being
packed; all are waited for before the optimizer applies them.

Overlap, honestly: ``GradientTape.gradient`` returns all gradients at once, so the
buckets start after the backward pass, not during it; what overlaps is packing,
unpacking and the device-to-host copies with the transfers of earlier buckets.
"""

from __future__ import annotations

import numpy as np

DEFAULT_BUCKET_BYTES = 25 * 2**20


def plan_buckets(sizes_and_dtypes, bucket_bytes: int = DEFAULT_BUCKET_BYTES) -> list:
    """Indices of the gradients in each bucket, filled in reverse order of the gradients.

    Args:
        sizes_and_dtypes: ``(num_elements, numpy dtype)`` per gradient.
        bucket_bytes: the size at which a bucket is closed (a larger gradient gets its own).

    Returns:
        A list of buckets, each a list of gradient indices (in reverse order), one dtype.
    """
    if bucket_bytes <= 0:
        raise ValueError(f"bucket_bytes must be positive, received {bucket_bytes}")
    buckets, open_by_dtype = [], {}
    for index in reversed(range(len(sizes_and_dtypes))):
        size, dtype = sizes_and_dtypes[index]
        dtype = np.dtype(dtype)
        bucket = open_by_dtype.get(dtype)
        if bucket is None:
            bucket = open_by_dtype[dtype] = {"indices": [], "bytes": 0}
            buckets.append(bucket)
        bucket["indices"].append(index)
        bucket["bytes"] += size * dtype.itemsize
        if bucket["bytes"] >= bucket_bytes:
            del open_by_dtype[dtype]
    return [b["indices"] for b in buckets]


def allreduce_gradients(
    comm, grads: list, device, weight: float, bucket_bytes: int = DEFAULT_BUCKET_BYTES
) -> list:
    """``sum over workers of weight * grad`` for each gradient, bucketed.

    Args:
        comm: a :class:`~gpuflow.distribute.communicator.Communicator`.
        grads: device arrays (None entries stay None).
        device: the device the arrays live on (for host copies and the results).
        weight: this worker's share of the global batch (its rows / all rows), so that the
            sum is the gradient of the global batch's mean loss, uneven splits included.
        bucket_bytes: see :func:`plan_buckets`.

    Returns:
        The reduced gradients as arrays on ``device``, in the order of ``grads``.
    """
    present = [i for i, g in enumerate(grads) if g is not None]
    host = {}
    plan = plan_buckets(
        [(int(np.prod(grads[i].shape)), grads[i].dtype) for i in present], bucket_bytes
    )
    pending = []
    for bucket in plan:
        indices = [present[j] for j in bucket]
        parts = []
        for i in indices:
            array = host[i] = np.asarray(device.to_host(grads[i]))
            parts.append(array.reshape(-1))
        flat = np.concatenate(parts) * np.asarray(weight, dtype=parts[0].dtype)
        pending.append((indices, comm.iallreduce_sum(flat)))
    out = list(grads)
    for indices, request in pending:
        flat = request.wait()
        offset = 0
        for i in indices:
            n = host[i].size
            out[i] = device.asarray(flat[offset : offset + n].reshape(host[i].shape))
            offset += n
    return out
