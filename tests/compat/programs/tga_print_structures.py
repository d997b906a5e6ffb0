"""tf.print, as the tf.function guide uses it: it prints at each call (a Python print only
while tracing), tensors by value with summarize, and ragged and sparse tensors in
TensorFlow's own formats, here into a file so the text can be checked."""

import os

import tensorflow as tf

OUT = "file://" + os.path.abspath("printed.txt")
python_prints = []


@tf.function
def step(x):
    python_prints.append("traced")  # Python side effect: while tracing only
    tf.print("step", x, output_stream=OUT)
    return x + 1


for i in range(3):
    step(tf.constant(i))
assert python_prints == ["traced"]

tf.print(tf.range(10), summarize=2, output_stream=OUT)
tf.print(tf.constant([[1.5, 2.0], [3.25, -4.0]]), output_stream=OUT)
tf.print("flags", tf.constant([True, False]), {"k": tf.constant(7)}, output_stream=OUT)
tf.print("a", "b", sep="-", end="!\n", output_stream=OUT)
tf.print(tf.ragged.constant([[1], [2, 3], []]), output_stream=OUT)
tf.print("r", tf.ragged.constant([[0.5], [2.25, 3.0]]), output_stream=OUT)
tf.print(tf.ragged.constant([list(range(8)), [1]]), summarize=2, output_stream=OUT)
tf.print(tf.ragged.constant([["x"], ["y", "z"]]), output_stream=OUT)
tf.print(tf.sparse.SparseTensor([[0, 1], [2, 0]], [5, 6], [3, 2]), output_stream=OUT)

with open("printed.txt") as f:
    lines = f.read().split("\n")
expected = [
    "step 0",
    "step 1",
    "step 2",
    "[0 1 ... 8 9]",
    "[[1.5 2]",
    " [3.25 -4]]",
    "flags [1 0] {'k': 7}",
    "a-b!",
    "[[1], [2, 3], []]",
    "r [[0.500000], [2.250000, 3.000000]]",
    "[[0, 1, ..., 6, 7], [1]]",
    "[['x'], ['y', 'z']]",
    "'SparseTensor(indices=[[0 1]",
    " [2 0]], values=[5 6], shape=[3 2])'",
    "",
]
assert lines == expected, lines
print("tga_print_structures OK")
