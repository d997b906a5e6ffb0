"""Bucketed gradient allreduce: few large messages instead of one per variable.

Gradients are packed, in reverse order of the variables (the order backpropagation
produces them: last layer first), into flat buckets of about ``bucket_bytes`` (25 MB, as
PyTorch DDP's default) of one dtype each. Each bucket's non-blocking allreduce starts as
soon as the bucket is packed; all are waited for before the optimizer applies them.

Overlap, honestly. With several workers, inside fit's step, ``strategy.scope()`` and
``strategy.run``, the buckets start *during* the backward pass: the tape's walk tells the
strategy when each Variable's gradient is final (after the last op that feeds it), and a
bucket is packed and its allreduce started once all of its gradients are, in plan order
(``overlap.py``). So the last layers' buckets travel while the first layers' gradients
are still being computed, in eager and in compiled (``run_eagerly=False``) steps alike.
What does not overlap: the last bucket (the first layer's gradients are final only at the
end of the walk), the forward pass, and the optimizer update. On the CPU with MPICH a
non-blocking allreduce moves only while MPI is called (no progress thread by default), so
the walk tests the oldest pending allreduce after every op (one ``MPI_Test``, which lets
MPI progress all of them); a long single op (one big matmul's backward) is not
interrupted, so its time overlaps only what MPI did before it. The early results are used
only when ``apply_gradients`` gets the very arrays that were packed, on every worker
(a one-value allreduce agrees on it); gradients changed in between (clipping in a custom
loop, a LossScaleOptimizer's unscaling) are reduced again from what apply_gradients got,
and those variables' buckets then stop starting early. :func:`allreduce_gradients` below
is that path, and the one for gradients no walk announced (a ``tape.gradient`` outside
those scopes, or ``strategy.overlap_gradients = False``).
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
