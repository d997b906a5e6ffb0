"""enable_check_numerics takes effect on the calling thread only, as in TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest
from thread_helpers import run_together

import gpuflow as gf
from gpuflow import debugging


def _log_of_zero():
    return gf.math.log(gf.constant(np.zeros(3, "float32")))


def test_checks_on_one_thread_leave_another_unchecked():
    def checked(barrier):
        debugging.enable_check_numerics()
        try:
            barrier.wait()  # the other thread runs while this one checks
            with pytest.raises(debugging.CheckNumericsError):
                _log_of_zero()
            barrier.wait()
            return debugging.check_numerics_enabled()
        finally:
            debugging.disable_check_numerics()

    def unchecked(barrier):
        barrier.wait()
        out = _log_of_zero().numpy()  # -inf, no error: checks are off on this thread
        barrier.wait()
        return debugging.check_numerics_enabled(), bool(np.isinf(out).all())

    assert run_together(checked, unchecked) == [True, (False, True)]
    assert not debugging.check_numerics_enabled()


def test_the_error_is_tensorflows_invalid_argument_error():
    import pickle

    debugging.enable_check_numerics()
    try:
        with pytest.raises(gf.errors.InvalidArgumentError) as info:
            _log_of_zero()
    finally:
        debugging.disable_check_numerics()
    err = info.value
    assert isinstance(err, FloatingPointError) and err.op == "Log" and err.direction == "forward"
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.op == "Log" and again.layer is None
