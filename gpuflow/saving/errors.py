"""The one error every malformed saved file raises, whatever part of it is wrong."""

from __future__ import annotations

import os
import sysconfig

#: gpuflow's own source folder (errors raised below it are gpuflow's, not a user's)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
#: Python's library and installed packages (errors raised there are judged by their caller)
_LIBRARIES = tuple(
    os.path.abspath(sysconfig.get_paths()[key]) + os.sep
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
)


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


def raised_in_user_code(exc: BaseException) -> bool:
    """Whether ``exc`` was raised in a user's own code (a custom layer's ``from_config`` or
    ``build_from_config`` run while loading): Keras lets such an error through as it is, so
    it is not reported as a malformed file. The deepest frame outside Python's and other
    installed libraries decides: gpuflow's own, or the user's."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(os.path.abspath(tb.tb_frame.f_code.co_filename))
        tb = tb.tb_next
    for filename in reversed(frames):
        if filename.startswith(_PACKAGE):
            return False
        if not filename.startswith(_LIBRARIES) and not filename.startswith("<frozen"):
            return True
    return False
