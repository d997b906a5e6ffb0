"""Makes tests/layers/layer_helpers.py importable; every layer test starts with fresh auto names."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _fresh_layer_names():
    from gpuflow.layers import reset_name_counters

    reset_name_counters()
    yield
