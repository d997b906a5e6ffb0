"""``tf.train.experimental``: ``PythonState`` (see ``python_state.py``)."""

from __future__ import annotations

from .python_state import PythonState  # noqa: F401
