"""``gpuflow.keras.<module>.<sub>`` is gpuflow's own submodule, not a second copy of it."""

import importlib
import sys

import pytest

import gpuflow  # noqa: F401


@pytest.mark.parametrize(
    "alias,real",
    [
        ("gpuflow.keras.applications.efficientnet", "gpuflow.applications.efficientnet"),
        ("gpuflow.keras.utils.file_utils", "gpuflow.utils.file_utils"),
        ("gpuflow.keras.layers.core", "gpuflow.layers.core"),
    ],
)
def test_submodule_under_keras_is_the_gpuflow_module(alias, real):
    sys.modules.pop(alias, None)  # imported afresh through the alias
    module = importlib.import_module(alias)
    assert module is importlib.import_module(real)
    assert module.__name__ == real


def test_from_import_of_a_keras_submodule_gives_the_same_classes():
    from gpuflow.keras.applications.convnext import LayerScale

    from gpuflow.applications.convnext import LayerScale as real

    assert LayerScale is real


def test_missing_submodule_is_still_an_import_error():
    with pytest.raises(ModuleNotFoundError, match="gpuflow.keras.layers.no_such_module"):
        importlib.import_module("gpuflow.keras.layers.no_such_module")
