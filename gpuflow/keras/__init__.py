"""``gpuflow.keras``: the tf.keras namespace, so ``tf.keras.*`` code runs with the import changed.

Each submodule is the gpuflow module itself, registered under this name too, so both
``gpuflow.keras.layers.Dense`` and ``from gpuflow.keras.layers import Dense`` work.
"""

import importlib
import sys

from . import _submodule_alias

_SUBMODULES = (
    "layers",
    "models",
    "optimizers",
    "losses",
    "metrics",
    "callbacks",
    "initializers",
    "activations",
    "utils",
    "datasets",
    "mixed_precision",
    "regularizers",
    "saving",
    "applications",
    "quantizers",
)

_aliases = {}
for _name in _SUBMODULES:
    try:
        _module = importlib.import_module(f"gpuflow.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"gpuflow.{_name}":
            raise
        continue
    sys.modules[f"{__name__}.{_name}"] = _module
    globals()[_name] = _module
    _aliases[f"{__name__}.{_name}"] = _module.__name__

from .. import __version__  # noqa: E402,F401  (gpuflow's own: keras.__version__ prints)
from ..layers import Input  # noqa: E402
from ..models import Model, Sequential  # noqa: E402
from . import (  # noqa: E402,F401
    backend,  # keras.backend: settings, not gpuflow.backend's devices
    legacy,  # keras.legacy.saving: tf.keras 2's object serialization
    preprocessing,  # keras.preprocessing.image.load_img, ...
)

# Keras 3's own modules (keras.ops, keras.random, keras.config), which differ from tf.*,
# keras.constraints, and the top-level classes (keras.Layer, keras.Variable, ...).
for _name in (
    "ops",
    "random",
    "config",
    "export",
    "tree",
    "dtype_policies",
    "distillation",
    "distribution",
    "visualization",
    "wrappers",
):
    globals()[_name] = importlib.import_module(f"{__name__}.{_name}")
constraints = sys.modules[f"{__name__}.constraints"] = importlib.import_module(
    "gpuflow.constraints"
)
_aliases[f"{__name__}.constraints"] = "gpuflow.constraints"
_submodule_alias.install(_aliases)  # gpuflow.keras.applications.convnext is gpuflow's module
from ..autodiff.forward import recompute_grad as _recompute_grad  # noqa: E402
from ..backend import device  # noqa: E402,F401  (keras.device("cpu:0"): gpuflow.device)
from ..saved_model.tfsm_layer import TFSMLayer  # noqa: E402
from ._namespace import *  # noqa: E402,F401,F403


def remat(f):
    """``keras.remat``: ``f`` (a function or a layer) with its activations recomputed in
    the backward pass instead of kept; values and gradients are unchanged (as
    ``tf.recompute_grad``, which it is)."""
    return _recompute_grad(f)


def version() -> str:
    """``keras.version()``: the same as ``keras.__version__`` (gpuflow's own version)."""
    return __version__


# keras.layers.TFSMLayer: defined above gpuflow.layers (it loads SavedModels), listed here
sys.modules["gpuflow.layers"].TFSMLayer = TFSMLayer
