# A tf.test.TestCase test file, run with tf.test.main() (exit status 0 when all pass).
import os

import numpy as np
import tensorflow as tf


class SquareTest(tf.test.TestCase):
    def test_square(self):
        x = tf.constant([1.0, 2.0, 3.0])
        self.assertAllClose(tf.square(x), [1.0, 4.0, 9.0])
        self.assertAllEqual(tf.shape(x), [3])
        self.assertShapeEqual(np.zeros((3,)), x)

    def test_nested_structures_and_ranges(self):
        result = {"a": tf.constant([0.5, 0.25]), "b": (tf.constant(1), [2.0])}
        self.assertAllClose(result, {"a": [0.5, 0.25], "b": (1, [2.0])})
        self.assertAllInRange(tf.random.uniform([100], seed=1), 0.0, 1.0)
        self.assertAllGreater(tf.constant([2, 3]), 1)
        self.assertAllLessEqual(tf.constant([2, 3]), 3)
        self.assertNotAllClose([1.0, 2.0], [1.0, 2.5])
        self.assertDTypeEqual(tf.constant([1.0]), np.float32)
        self.assertEqual(self.evaluate(tf.constant(3)), 3)

    def test_errors(self):
        with self.assertRaises((tf.errors.InvalidArgumentError, ValueError)):
            tf.reshape(tf.ones([6]), [4, -1]).numpy()
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0], [2.0])

    def test_temp_dir(self):
        path = self.get_temp_dir()
        self.assertTrue(os.path.isdir(path))


if __name__ == "__main__":
    tf.test.main()
