"""The one error every malformed saved file raises, whatever part of it is wrong."""

from __future__ import annotations


class FileFormatError(ValueError):
    """A saved file (model, weights, checkpoint, data set) is malformed, damaged or hostile.

    A ``ValueError``, so existing ``except ValueError`` code keeps working. The message names
    the file, the field that is wrong and what was wrong with it.

    Attributes:
        path: the file, as a string.
        field: the part of the file that is wrong (``"header"``, ``"arrays.weight.0"``, ...).
        problem: what was wrong with it.
    """

    def __init__(self, path, field: str, problem: str, op: str | None = None) -> None:
        self.path, self.field, self.problem, self.op = str(path), field, problem, op
        where = f"{op}: " if op else ""
        super().__init__(f"{where}malformed file {self.path}: {field}: {problem}")

    def __reduce__(self):  # picklable across processes despite the custom __init__
        return type(self), (self.path, self.field, self.problem, self.op)


class UnknownObjectError(FileFormatError, TypeError):
    """A saved model names a class or function that is neither registered nor in
    ``custom_objects`` (or that could not be rebuilt from its config).

    Also a ``TypeError``, as Keras raises one for the same file, so both ``except
    ValueError`` (gpuflow's FileFormatError) and Keras-style ``except TypeError`` catch it.
    """
