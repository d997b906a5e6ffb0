"""Maps ``import tensorflow.X`` / ``import keras.X`` to the gpuflow modules themselves.

Putting gpuflow into ``sys.modules["tensorflow"]`` alone is not enough: Python imports a
submodule such as ``tensorflow.keras`` (``from tensorflow.keras import layers``) from the
package's path under the new name, which would load a second copy of gpuflow whose
classes differ from the first's. This finder answers those names with the modules
already imported (or imported now) under their gpuflow names.
"""

import importlib
import importlib.abc
import importlib.util
import sys


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, prefixes: dict) -> None:
        self.prefixes = prefixes  # alias prefix -> gpuflow module name

    def find_spec(self, fullname, path=None, target=None):
        for alias, real in self.prefixes.items():
            if fullname.startswith(alias + "."):
                return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        for alias, real in self.prefixes.items():
            if spec.name.startswith(alias + "."):
                return importlib.import_module(real + spec.name[len(alias) :])
        raise ImportError(spec.name)

    def exec_module(self, module) -> None:
        pass  # the gpuflow module is imported already


def install() -> None:
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias({"tensorflow": "gpuflow", "keras": "gpuflow.keras"}))
