"""Makes tests/core/core_helpers.py importable and adds fixtures of the core tests."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from core_helpers import CUDA_DEVICES, EMU_OK


@pytest.fixture
def emu():
    """The 'cuda-emu' device name; skips with the reason where g++ (C++20) is missing."""
    if not EMU_OK[0]:
        pytest.skip(EMU_OK[1])
    return "cuda-emu"


@pytest.fixture
def gpu():
    """The first CUDA device name; skips with the reason where no GPU answers."""
    if not CUDA_DEVICES:
        from gpuflow.backend import cuda_status

        pytest.skip(f"no GPU: {cuda_status()[1]}")
    return CUDA_DEVICES[0]
