"""Random number generation guide: tf.random.Generator (from_seed, reset, split, make_seeds,
from_key_counter) and the stateless ops with seeds derived by stateless_split and
stateless_fold_in. Asserts determinism, independence and structure, not TF's raw bits."""

import numpy as np
import tensorflow as tf

# A Generator from a seed is reproducible; reset_from_seed replays it.
g = tf.random.Generator.from_seed(1234)
first = g.normal([4])
second = g.normal([4])
assert not np.allclose(first.numpy(), second.numpy())
g.reset_from_seed(1234)
np.testing.assert_array_equal(g.normal([4]).numpy(), first.numpy())
assert g.state.dtype == tf.int64
# Two generators from the same seed agree; from_key_counter and reset agree too.
g2 = tf.random.Generator.from_seed(1234)
np.testing.assert_array_equal(g2.normal([4]).numpy(), first.numpy())
k1 = tf.random.Generator.from_key_counter(key=7, counter=[0, 0], alg="philox")
k2 = tf.random.Generator.from_seed(99)
k2.reset_from_key_counter(key=7, counter=[0, 0])
np.testing.assert_array_equal(k1.uniform([3]).numpy(), k2.uniform([3]).numpy())

# split: independent child generators, reproducible from the parent's seed.
parent = tf.random.Generator.from_seed(5)
children = parent.split(3)
draws = [c.uniform([200]).numpy() for c in children]
for i in range(3):
    assert draws[i].min() >= 0.0 and draws[i].max() < 1.0
    for j in range(i + 1, 3):
        assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 0.3
again = tf.random.Generator.from_seed(5).split(3)
np.testing.assert_array_equal(again[1].uniform([200]).numpy(), draws[1])
# Distributions: ranges and dtypes.
ints = g.uniform([1000], minval=3, maxval=7, dtype=tf.int32)
assert ints.dtype == tf.int32 and set(np.unique(ints.numpy())) == {3, 4, 5, 6}
tn = g.truncated_normal([2000], stddev=1.0)
assert float(tf.reduce_max(tf.abs(tn))) <= 2.0
# make_seeds: seeds for the stateless ops, shape [2, count].
seeds = g.make_seeds(4)
assert seeds.shape == (2, 4) and seeds.dtype == tf.int64
a = tf.random.stateless_normal([3], seed=seeds[:, 0])
b = tf.random.stateless_normal([3], seed=seeds[:, 0])
np.testing.assert_array_equal(a.numpy(), b.numpy())

# Stateless ops: the seed alone decides the numbers.
s1 = tf.random.stateless_uniform([5], seed=[1, 2])
s2 = tf.random.stateless_uniform([5], seed=[1, 2])
s3 = tf.random.stateless_uniform([5], seed=[1, 3])
np.testing.assert_array_equal(s1.numpy(), s2.numpy())
assert not np.allclose(s1.numpy(), s3.numpy())
full = tf.random.stateless_uniform([4], seed=[1, 2], minval=None, maxval=None, dtype=tf.int32)
assert full.dtype == tf.int32
# stateless_split gives num new seeds of the seed's dtype: stateless_uniform's numbers.
seed = tf.constant([1, 2], tf.int64)
new_seeds = tf.random.experimental.stateless_split(seed, num=3)
assert new_seeds.shape == (3, 2) and new_seeds.dtype == tf.int64
whole = tf.random.stateless_uniform([3, 2], seed=seed, minval=None, maxval=None, dtype=tf.int64)
np.testing.assert_array_equal(new_seeds.numpy(), whole.numpy())
assert len({tuple(s) for s in new_seeds.numpy().tolist()}) == 3
# stateless_fold_in mixes data (a step) into a seed: [a number from the seed, data].
folded = [tf.random.experimental.stateless_fold_in(seed, step) for step in range(4)]
assert all(f.dtype == tf.int32 and int(f[1]) == step for step, f in enumerate(folded))
assert len({int(f[0]) for f in folded}) == 1
per_step = [tf.random.stateless_normal([2], seed=f).numpy() for f in folded]
assert not np.allclose(per_step[0], per_step[1])
np.testing.assert_array_equal(tf.random.stateless_normal([2], seed=folded[2]).numpy(), per_step[2])
# Bad seeds are errors.
try:
    tf.random.stateless_normal([2], seed=[1, 2, 3])
    raise AssertionError("expected a seed error")
except (tf.errors.InvalidArgumentError, ValueError):
    pass
# A Generator in tf.function advances its state on each call.
gen = tf.random.Generator.from_seed(8)


@tf.function
def draw():
    return gen.normal([2])


d1, d2 = draw(), draw()
assert not np.allclose(d1.numpy(), d2.numpy())
ref = tf.random.Generator.from_seed(8)
np.testing.assert_array_equal(ref.normal([2]).numpy(), d1.numpy())
print("tga_random_seed_derivation OK")
