"""The hook through which ``Variable.assign``/``assign_add``/``assign_sub`` let an
in-process ``MirroredStrategy`` combine its replicas' updates of a mirrored variable.

A leaf module (imports nothing from gpuflow), so that ``tensor.py`` can ask it without
importing the distribute package. ``hook`` is None except while such a strategy runs
its replicas (``distribute/mirrored_updates.py`` sets it).
"""

from __future__ import annotations

#: ``hook(variable, kind, array) -> bool``: True when the strategy took the update
#: (kept for a later replica or applied combined); None when no strategy listens.
hook = None
