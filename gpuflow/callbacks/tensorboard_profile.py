"""The TensorBoard callback's ``profile_batch``: a profiling session
(``tf.profiler.experimental``) around a range of training batches, as Keras 3 runs it."""

from __future__ import annotations

from ..profiler import experimental as profiler
from ..summary import recording


def parse_profile_batch(profile_batch) -> tuple[int, int]:
    """``(start, stop)`` batches (1-based, counted over the whole fit) from an int, a pair
    or a ``"start,stop"`` string; ``(0, 0)`` profiles nothing.

    Raises:
        ValueError: anything else, or a range that is negative or backwards (Keras' message).
    """
    message = (
        "profile_batch must be a non-negative integer or 2-tuple of positive integers. A "
        "pair of positive integers signifies a range of batches to profile. Found: "
        f"{profile_batch}"
    )
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            raise ValueError(message) from None
    if isinstance(value, int) and not isinstance(value, bool):
        start = stop = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = value
    else:
        raise ValueError(message)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop)):
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


class BatchProfiler:
    """Starts a session before batch ``start`` and saves it to ``logdir`` after ``stop``,
    each profiled batch a ``Trace("Profiled Step", step_num=batch)`` region.

    As Keras 3, the function graphs are recorded over the range too
    (``summary.trace_on``): ``export_graphs(batch)`` is called when it ends, with the last
    profiled batch's number, to ``trace_export`` them (Keras writes ``batch_<N>``).
    """

    def __init__(self, profile_batch, logdir: str, export_graphs=None) -> None:
        self.start, self.stop = parse_profile_batch(profile_batch)
        self.logdir = logdir
        self.tracing = False
        self._step = None
        self._export_graphs = export_graphs
        self._last = 0

    @property
    def wanted(self) -> bool:
        return self.stop > 0

    def batch_begin(self, global_batch: int, batch: int) -> None:
        """``global_batch``: this batch's 1-based number over the fit."""
        if not self.wanted:
            return
        if global_batch == self.start and not profiler.enabled():
            if self._export_graphs is not None:
                recording.trace_on(graph=True, profiler=False)
            profiler.start(self.logdir)
            self.tracing = True
        if self.tracing:
            self._step = profiler.Trace("Profiled Step", step_num=batch)
            self._step.__enter__()

    def batch_end(self, global_batch: int) -> None:
        if self._step is not None:
            self._step.__exit__(None, None, None)
            self._step = None
        self._last = global_batch
        if self.tracing and global_batch >= self.stop:
            self.end(self.stop)

    def end(self, batch=None) -> None:
        """Save a session still running (a fit shorter than the range: its last batch)."""
        if self.tracing:
            self.tracing = False
            if self._export_graphs is not None:
                self._export_graphs(self._last if batch is None else batch)
            profiler.stop()
