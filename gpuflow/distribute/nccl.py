"""NCCL communicator for CuPy arrays (``cupy.cuda.nccl``), its unique id sent over MPI.

Imported lazily: CuPy and NCCL are needed only when this communicator is made. NOT RUN
on a GPU yet (no GPU where it was written); the id exchange is tested with a fake.
"""

from __future__ import annotations

import numpy as np

from .communicator import Communicator, Pending


def exchange_unique_id(mpi_comm, make_id):
    """Rank 0's NCCL unique id on every rank: made by ``make_id()`` on rank 0, broadcast.

    Args:
        mpi_comm: an object with ``rank`` and ``broadcast(array, root)`` (a Communicator).
        make_id: returns the id as a tuple of ints (``cupy.cuda.nccl.get_unique_id``).
    """
    if mpi_comm.rank == 0:
        raw = np.asarray(make_id(), dtype=np.int64)
    else:
        raw = np.zeros(_ID_LENGTH, dtype=np.int64)
    raw = np.asarray(mpi_comm.broadcast(raw, root=0))
    return tuple(int(v) for v in raw)


_ID_LENGTH = 128  # NCCL_UNIQUE_ID_BYTES: cupy returns the id as 128 signed chars


class NCCLCommunicator(Communicator):
    """Allreduce of CuPy arrays over NCCL between the ranks of ``mpi_comm``.

    Args:
        mpi_comm: a :class:`~gpuflow.distribute.communicator.Communicator` used only to
            exchange NCCL's unique id (one-rank: a LocalCommunicator).
    """

    def __init__(self, mpi_comm) -> None:
        import cupy
        from cupy.cuda import nccl

        self._cupy, self._nccl = cupy, nccl
        self.rank, self.size = mpi_comm.rank, mpi_comm.size
        uid = exchange_unique_id(mpi_comm, nccl.get_unique_id)
        self.comm = nccl.NcclCommunicator(self.size, uid, self.rank)

    def iallreduce_sum(self, array, what: str = "allreduce") -> Pending:
        cupy, nccl = self._cupy, self._nccl
        send = cupy.ascontiguousarray(array)
        result = cupy.empty_like(send)
        stream = cupy.cuda.get_current_stream()
        self.comm.allReduce(
            send.data.ptr,
            result.data.ptr,
            send.size,
            _nccl_dtype(nccl, send),
            nccl.NCCL_SUM,
            stream.ptr,
        )
        return Pending(result)  # ordered on the stream: later kernels see the sum

    def broadcast(self, array, root: int = 0):
        cupy, nccl = self._cupy, self._nccl
        buffer = cupy.ascontiguousarray(array).copy()
        self.comm.bcast(
            buffer.data.ptr,
            buffer.size,
            _nccl_dtype(nccl, buffer),
            root,
            cupy.cuda.get_current_stream().ptr,
        )
        return buffer


def _nccl_dtype(nccl, array):
    table = {
        "float16": nccl.NCCL_FLOAT16,
        "float32": nccl.NCCL_FLOAT32,
        "float64": nccl.NCCL_FLOAT64,
        "int32": nccl.NCCL_INT32,
        "int64": nccl.NCCL_INT64,
    }
    name = str(array.dtype)
    if name not in table:
        raise TypeError(f"NCCLCommunicator: no NCCL type for dtype {name}")
    return table[name]
