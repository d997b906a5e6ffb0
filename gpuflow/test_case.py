"""``tf.test.TestCase`` and ``tf.test.main``: unittest with TensorFlow's array assertions.

The assertions take tensors, NumPy arrays, numbers and (for ``assertAllClose`` /
``assertAllEqual``) nested dicts, lists and tuples of them, and check as TensorFlow's
``test_util.TensorFlowTestCase`` does: shapes must match exactly, closeness is
``|a - b| <= atol + rtol * |b|`` with float16 tolerances raised to 1e-3.
"""

from __future__ import annotations

import tempfile
import unittest

import numpy as np

from . import nest
from .tensor import Tensor


def _array(value) -> np.ndarray:
    if isinstance(value, Tensor):
        return np.asarray(value.numpy())
    if hasattr(value, "numpy") and callable(value.numpy):  # RaggedTensor, SparseTensor parts
        return np.asarray(value.numpy())
    return np.asarray(value)


class TestCase(unittest.TestCase):
    """``unittest.TestCase`` with ``assertAllClose``, ``assertAllEqual``, ``evaluate`` & co."""

    def get_temp_dir(self) -> str:
        """A temporary directory for this test (removed when the test ends)."""
        if not hasattr(self, "_gpuflow_tmp"):
            self._gpuflow_tmp = tempfile.TemporaryDirectory()
            self.addCleanup(self._gpuflow_tmp.cleanup)
        return self._gpuflow_tmp.name

    def evaluate(self, tensors):
        """``tensors`` (any nest of tensors) with each tensor as its NumPy value."""
        return nest.map_structure(lambda t: t.numpy() if isinstance(t, Tensor) else t, tensors)

    # -- closeness ----------------------------------------------------------------------
    def _close(self, a, b, rtol, atol, msg, path) -> None:
        a, b = _array(a), _array(b)
        self.assertEqual(
            a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg or ''}"
        )
        if np.float16 in (a.dtype, b.dtype):
            rtol, atol = max(rtol, 1e-3), max(atol, 1e-3)
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            bad = np.abs(a.astype(np.float64) - b.astype(np.float64)) > atol + rtol * np.abs(
                b.astype(np.float64)
            )
            where = np.argwhere(bad if a.ndim else np.array([bad]))[:5].tolist()
            np.testing.assert_allclose(
                a,
                b,
                rtol=rtol,
                atol=atol,
                equal_nan=True,
                err_msg=f"Mismatched value: a{path} is different from b{path}; not close "
                f"where = {where}. {msg or ''}",
            )

    def _close_nested(self, a, b, rtol, atol, msg, path="") -> None:
        if isinstance(a, dict) or isinstance(b, dict):
            if not (isinstance(a, dict) and isinstance(b, dict)) or set(a) != set(b):
                self.fail(f"a{path} and b{path} have different keys or types. {msg or ''}")
            for key in a:
                self._close_nested(a[key], b[key], rtol, atol, msg, f"{path}[{key!r}]")
        elif isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
            # as TensorFlow: compare as arrays when both convert to one, else item by item
            try:
                arrays = _array(a), _array(b)
            except (ValueError, TypeError):
                arrays = None
            if arrays is not None and arrays[0].dtype != object and arrays[1].dtype != object:
                self._close(arrays[0], arrays[1], rtol, atol, msg, path)
                return
            if len(a) != len(b):
                self.fail(f"a{path} has {len(a)} items but b{path} has {len(b)}. {msg or ''}")
            for i, (x, y) in enumerate(zip(a, b)):
                self._close_nested(x, y, rtol, atol, msg, f"{path}[{i}]")
        else:
            self._close(a, b, rtol, atol, msg, path)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        """``a`` and ``b`` (tensors, arrays or nests of them) are close elementwise."""
        self._close_nested(a, b, rtol, atol, msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertAllCloseAccordingToType(  # noqa: N802
        self,
        a,
        b,
        rtol=1e-6,
        atol=1e-6,
        float_rtol=1e-6,
        float_atol=1e-6,
        half_rtol=1e-3,
        half_atol=1e-3,
        bfloat16_rtol=1e-2,
        bfloat16_atol=1e-2,
        msg=None,
    ):
        """As assertAllClose with the tolerance of the least precise float dtype involved."""
        dtypes_seen = {_array(a).dtype, _array(b).dtype}
        if np.float32 in dtypes_seen:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.float16 in dtypes_seen:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        self.assertTrue(
            f1 == f2 or abs(f1 - f2) <= err,
            f"{f1!r} != {f2!r} +/- {err!r}{' (' + msg + ')' if msg else ''}",
        )

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    # -- equality and ranges ------------------------------------------------------------
    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """``a`` and ``b`` have one shape and equal values."""
        a, b = _array(a), _array(b)
        self.assertEqual(
            a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg or ''}"
        )
        np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(f"The two values are equal at all elements. {msg or ''}")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertGreater(np.min(_array(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertLess(np.max(_array(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self.assertGreaterEqual(np.min(_array(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self.assertLessEqual(np.max(_array(a)), comparison_target)

    def assertAllInRange(  # noqa: N802
        self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False
    ):
        """Every element of ``target`` is in the range (closed unless told open), no NaN."""
        target = _array(target)
        if target.dtype.kind not in "iuf":
            raise AssertionError(
                f"The value of {target} does not have an ordered numeric type, instead it "
                f"has type: {target.dtype.name}"
            )
        nan = np.argwhere(np.isnan(target)) if target.dtype.kind == "f" else []
        if len(nan):
            raise AssertionError(
                f"{len(nan)} of the {target.size} element(s) are NaN, at {nan.tolist()[:5]}"
            )
        low = target <= lower_bound if open_lower_bound else target < lower_bound
        high = target >= upper_bound if open_upper_bound else target > upper_bound
        bad = np.argwhere(np.logical_or(low, high))
        if len(bad):
            interval = (
                ("(" if open_lower_bound else "[")
                + f"{lower_bound}, {upper_bound}"
                + (")" if open_upper_bound else "]")
            )
            raise AssertionError(
                f"{len(bad)} of the {target.size} element(s) are outside the range "
                f"{interval}, at {bad.tolist()[:5]}"
            )

    def assertAllInSet(self, target, expected_set):  # noqa: N802
        values = set(np.unique(_array(target)).tolist())
        extra = values - set(expected_set)
        if extra:
            raise AssertionError(f"{sorted(extra)} are not in the expected set {expected_set}")

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        from .dtypes import as_dtype

        arrays = nest.flatten(target)
        for array in arrays:
            self.assertEqual(as_dtype(_array(array).dtype), as_dtype(expected_dtype))

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        """``input_a`` (a NumPy array or tensor) and ``input_b`` have one shape."""
        for name, value in (("input_a", input_a), ("input_b", input_b)):
            if not isinstance(value, (np.ndarray, np.generic, Tensor)):
                raise TypeError(
                    f"{name} must be a Numpy ndarray, Numpy scalar, or a Tensor. Instead "
                    f"received {type(value).__name__}"
                )
        self.assertAllEqual(
            list(np.shape(input_a) if not isinstance(input_a, Tensor) else input_a.shape),
            list(np.shape(input_b) if not isinstance(input_b, Tensor) else input_b.shape),
            msg=msg,
        )

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        from .errors import OpError

        return self.assertRaisesRegex(OpError, expected_err_re_or_predicate)

    def assertStartsWith(self, actual, expected_start, msg=None):  # noqa: N802
        if not actual.startswith(expected_start):
            self.fail(f"{actual!r} does not start with {expected_start!r} {msg or ''}")


def main(argv=None):
    """Run the tests of the calling ``__main__`` module (``unittest.main``), then exit with
    its status, as ``tf.test.main``."""
    unittest.main(module="__main__", argv=argv)
