"""Reading several files at once, as TensorFlow's file datasets do with
``num_parallel_reads``: their elements interleaved in TensorFlow's deterministic order."""

from __future__ import annotations


def interleave_files(files: list, read, cycle: int):
    """The elements of ``read(path)`` for each file, ``cycle`` files at a time taking one
    element each in turn (TensorFlow's deterministic interleave order: a file that ends
    passes its turn, and its slot opens the next file on its next turn)."""
    if cycle <= 1:
        for path in files:
            yield from read(path)
        return
    pending = iter(files)
    slots: list = [None] * cycle
    source_done = False
    position = 0
    while True:
        if slots[position] is None and not source_done:
            path = next(pending, None)
            if path is None:
                source_done = True
            else:
                slots[position] = iter(read(path))
        if source_done and all(slot is None for slot in slots):
            return
        inner = slots[position]
        if inner is not None:
            for element in inner:
                yield element
                break
            else:
                slots[position] = None
        position = (position + 1) % cycle


def files_at_once(num_parallel_reads, op: str) -> int:
    """How many files a record dataset reads at once (``num_parallel_reads``; None: 1)."""
    if num_parallel_reads is None:
        return 1
    from .transformations import resolve_parallelism

    return resolve_parallelism(num_parallel_reads, f"{op}(num_parallel_reads)")
