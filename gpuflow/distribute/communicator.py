"""Communicators: allreduce and broadcast of host arrays between the workers.

``LocalCommunicator`` is one worker (nothing to exchange). ``MPICommunicator`` uses
mpi4py (MPI's own, tuned allreduce: no transport of ours). Every wait has a deadline:
a worker that died or hangs makes the others abort with a message instead of hanging.
The GPU path (NCCL through CuPy) is in :mod:`gpuflow.distribute.nccl`.
"""

from __future__ import annotations

import os
import pickle
import sys
import time

import numpy as np

DEFAULT_TIMEOUT_S = float(os.environ.get("GPUFLOW_DISTRIBUTE_TIMEOUT", "300"))

# Environment variables that MPI launchers set in every process they start.
_LAUNCHER_VARS = ("PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")


def launched_by_mpi() -> bool:
    """Whether this process was started by ``mpiexec`` (its launcher variables are set)."""
    return any(name in os.environ for name in _LAUNCHER_VARS)


class Communicator:
    """``rank`` among ``size`` workers; subclasses exchange arrays."""

    rank = 0
    size = 1
    timeout_s = DEFAULT_TIMEOUT_S

    def allreduce_sum(self, array: np.ndarray) -> np.ndarray:
        """The elementwise sum of ``array`` over all workers (a new array)."""
        return self.iallreduce_sum(array).wait()

    def iallreduce_sum(self, array: np.ndarray) -> Pending:
        """Start summing ``array`` over the workers; ``.wait()`` on the result returns it."""
        raise NotImplementedError

    def broadcast(self, array: np.ndarray, root: int = 0) -> np.ndarray:
        """``root``'s ``array`` on every worker."""
        raise NotImplementedError

    def broadcast_object(self, value, root: int = 0):
        """``root``'s picklable ``value`` on every worker."""
        if self.size == 1:
            return value
        payload = np.frombuffer(pickle.dumps(value), dtype=np.uint8)
        length = int(self.broadcast(np.array([payload.size], dtype=np.int64), root)[0])
        buffer = payload if self.rank == root else np.zeros(length, dtype=np.uint8)
        return pickle.loads(self.broadcast(buffer, root).tobytes())

    def barrier(self) -> None:
        """Return once every worker has called it (within the timeout)."""
        self.allreduce_sum(np.zeros(1))

    def abort(self, message: str, code: int = 1) -> None:
        """Print ``message`` naming this rank and stop every worker."""
        sys.stderr.write(f"gpuflow.distribute: rank {self.rank}/{self.size}: {message}\n")
        sys.stderr.flush()
        raise SystemExit(code)


class Pending:
    """An allreduce in flight; ``wait()`` returns its result."""

    def __init__(self, result: np.ndarray) -> None:
        self._result = result

    def wait(self) -> np.ndarray:
        return self._result

    def test(self) -> bool:
        """Whether it is complete; lets the transport progress (never blocks)."""
        return True


class LocalCommunicator(Communicator):
    """One worker: the sum over one worker is the array itself."""

    def iallreduce_sum(self, array: np.ndarray) -> Pending:
        return Pending(np.array(array, copy=True))

    def broadcast(self, array: np.ndarray, root: int = 0) -> np.ndarray:
        return array

    def barrier(self) -> None:
        pass


class _MPIPending(Pending):
    """A non-blocking MPI allreduce, polled with ``Test()`` until done or the deadline."""

    def __init__(self, comm: MPICommunicator, request, result: np.ndarray, what: str) -> None:
        super().__init__(result)
        self._comm, self._request, self._what = comm, request, what
        self._start = time.monotonic()

    def wait(self) -> np.ndarray:
        self._comm.wait_for(self._request, self._start, self._what)
        return self._result

    def test(self) -> bool:
        try:
            return bool(self._request.Test())  # MPI progresses every pending operation
        except self._comm._MPI.Exception:
            return False  # wait() reports it, naming the rank


class MPICommunicator(Communicator):
    """The workers of an MPI communicator (``MPI.COMM_WORLD`` by default).

    Args:
        comm: an mpi4py communicator; None for ``COMM_WORLD``.
        timeout_s: how long a collective may wait for the other workers before this worker
            aborts them all (``MPI_Abort``) with a message naming itself; default
            ``$GPUFLOW_DISTRIBUTE_TIMEOUT`` or 300 s.
    """

    def __init__(self, comm=None, timeout_s: float | None = None) -> None:
        from mpi4py import MPI

        self._MPI = MPI
        self.comm = comm if comm is not None else MPI.COMM_WORLD
        # MPI errors (a peer gone) raise Python exceptions instead of aborting silently.
        self.comm.Set_errhandler(MPI.ERRORS_RETURN)
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        if timeout_s is not None:
            self.timeout_s = float(timeout_s)

    def iallreduce_sum(self, array: np.ndarray, what: str = "allreduce") -> Pending:
        send = np.ascontiguousarray(array)
        result = np.empty_like(send)
        request = self.comm.Iallreduce(send, result, op=self._MPI.SUM)
        return _MPIPending(self, request, result, what)

    def broadcast(self, array: np.ndarray, root: int = 0) -> np.ndarray:
        buffer = np.ascontiguousarray(array).copy()
        request = self.comm.Ibcast(buffer, root=root)
        self.wait_for(request, time.monotonic(), f"broadcast from rank {root}")
        return buffer

    def wait_for(self, request, start: float, what: str) -> None:
        """Poll ``request`` until done; past the deadline, abort all workers with a message."""
        deadline = start + self.timeout_s
        pause = 0.0
        while True:
            try:
                if request.Test():
                    return
            except self._MPI.Exception as exc:
                self.abort(f"{what} failed: {exc} (another worker probably died)")
            if time.monotonic() > deadline:  # a collective cannot be cancelled: abort
                self.abort(
                    f"{what} did not complete within {self.timeout_s:g} s: another "
                    "worker died, raised or hangs (its own message, if any, names it); "
                    "aborting all workers"
                )
            time.sleep(pause)  # yield the core to the peers; back off up to 1 ms
            pause = min(1e-3, pause * 2 or 1e-5)

    def abort(self, message: str, code: int = 1) -> None:
        sys.stderr.write(f"gpuflow.distribute: rank {self.rank}/{self.size}: {message}\n")
        sys.stderr.flush()
        self.comm.Abort(code)


def default_communicator(timeout_s: float | None = None) -> Communicator:
    """MPI's ``COMM_WORLD`` when mpi4py imports; a one-worker communicator otherwise.

    Raises:
        RuntimeError: when ``mpiexec`` started this process but mpi4py is missing (each
            process would otherwise train alone without saying so).
    """
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        if launched_by_mpi():
            raise RuntimeError(
                "MultiWorkerMirroredStrategy: this process was started by "
                "mpiexec but mpi4py is not installed; pip install "
                "'gpuflow[mpi]'"
            ) from None
        return LocalCommunicator()
    return MPICommunicator(timeout_s=timeout_s)
