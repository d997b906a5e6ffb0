"""tf.test.TestCase assertions and tf.test.main (run in a subprocess: exit status 0 / 1)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf


class _Case(tf.test.TestCase):
    def runTest(self):  # noqa: N802 - unittest's name
        pass


@pytest.fixture
def case():
    return _Case()


def test_assert_all_close_on_tensors_arrays_and_nests(case):
    case.assertAllClose(tf.constant([1.0, 2.0]), np.array([1.0, 2.0 + 1e-7]))
    case.assertAllClose({"a": [tf.constant(1.0), 2.0]}, {"a": [1.0, tf.constant(2.0)]})
    # a tuple of a tensor and a list: compared item by item (no common array)
    case.assertAllClose({"b": (tf.constant(1), [2.0])}, {"b": (1, [2.0])})
    with pytest.raises(AssertionError, match="Mismatched value"):
        case.assertAllClose(tf.constant([1.0, 2.0]), [1.0, 2.1])
    with pytest.raises(AssertionError, match="Shape mismatch"):
        case.assertAllClose(tf.constant([1.0, 2.0]), [[1.0, 2.0]])
    case.assertAllClose(tf.constant([1.0], tf.float16), [1.0005])  # float16 tolerance 1e-3
    case.assertNotAllClose([1.0], [2.0])
    with pytest.raises(AssertionError, match="close at all elements"):
        case.assertNotAllClose([1.0], [1.0])


def test_equal_range_set_shape_dtype(case):
    case.assertAllEqual(tf.constant([1, 2]), [1, 2])
    with pytest.raises(AssertionError):
        case.assertAllEqual(tf.constant([1, 2]), [1, 3])
    case.assertAllInRange(tf.constant([0.0, 0.5, 1.0]), 0.0, 1.0)
    with pytest.raises(AssertionError, match="outside the range \\(0.0, 1.0\\]"):
        case.assertAllInRange(tf.constant([0.0, 0.5]), 0.0, 1.0, open_lower_bound=True)
    with pytest.raises(AssertionError, match="NaN"):
        case.assertAllInRange(tf.constant([np.nan]), 0.0, 1.0)
    case.assertAllInSet(tf.constant([1, 2, 2]), {1, 2, 3})
    case.assertShapeEqual(np.zeros((2, 3)), tf.zeros([2, 3]))
    with pytest.raises(AssertionError):
        case.assertShapeEqual(np.zeros((2, 3)), tf.zeros([3, 2]))
    with pytest.raises(TypeError, match="input_a must be a Numpy ndarray"):
        case.assertShapeEqual([1, 2], tf.zeros([2]))
    case.assertDTypeEqual(tf.constant([1.0]), tf.float32)
    case.assertAllGreater(tf.constant([2, 3]), 1)
    case.assertAllLessEqual(tf.constant([2, 3]), 3)
    case.assertNear(1.0, 1.05, 0.1)
    assert case.evaluate({"x": tf.constant([1, 2])})["x"].tolist() == [1, 2]
    assert Path(case.get_temp_dir()).is_dir()
    with case.assertRaisesOpError("expected integer"):
        tf.bitwise.invert(tf.constant([1.0]))


@pytest.mark.parametrize("body,status", [("self.assertAllEqual([1], [1])", 0), ("self.fail()", 1)])
def test_main_exit_status(tmp_path, body, status):
    script = tmp_path / "my_test.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import gpuflow as tf

            class T(tf.test.TestCase):
                def test_it(self):
                    {body}

            if __name__ == "__main__":
                tf.test.main()
            """
        )
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(root), "GPUFLOW_DEVICE": "cpu", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == status, result.stderr
