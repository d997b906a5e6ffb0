"""Every precision test starts and ends with the default policy and check numerics off."""

import pytest

from gpuflow import debugging
from gpuflow.mixed_precision import set_global_policy


@pytest.fixture(autouse=True)
def _default_policy():
    set_global_policy(None)
    yield
    set_global_policy(None)
    debugging.disable_check_numerics()
