"""``gpuflow.keras.<module>.<sub>`` imports as ``gpuflow.<module>.<sub>``, the same module.

``gpuflow.keras.applications`` is ``gpuflow.applications`` itself (registered under both
names), but Python would import a submodule such as ``gpuflow.keras.applications.convnext``
from the package's path under the new name: a second copy whose classes differ from the
first's, and whose relative imports (``from .. import dtypes``) resolve in ``gpuflow.keras``
and fail. This finder answers those names with the gpuflow modules themselves.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys


class _SubmoduleAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, prefixes: dict) -> None:
        self.prefixes = prefixes  # "gpuflow.keras.applications" -> "gpuflow.applications"

    def _real(self, fullname: str):
        for alias, real in self.prefixes.items():
            if fullname.startswith(alias + "."):
                return real + fullname[len(alias) :]
        return None

    def find_spec(self, fullname, path=None, target=None):
        real = self._real(fullname)
        if real is None or importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(self._real(spec.name))

    def exec_module(self, module) -> None:
        pass  # the gpuflow module is imported already


def install(prefixes: dict) -> None:
    """Alias each ``gpuflow.keras.X`` -> ``gpuflow.X`` package's submodules (idempotent)."""
    for finder in sys.meta_path:
        if isinstance(finder, _SubmoduleAlias):
            finder.prefixes.update(prefixes)
            return
    sys.meta_path.insert(0, _SubmoduleAlias(dict(prefixes)))
