import pytest

import gpuflow as gf


@pytest.fixture
def float64_floatx():
    """float64 as the default float type while a test runs: an optimizer's learning-rate
    variable is of that type (as in Keras), so a float64 reference is matched exactly."""
    previous = gf.keras.backend.floatx()
    gf.keras.backend.set_floatx("float64")
    yield
    gf.keras.backend.set_floatx(previous)
