# The "Random number generation" guide: stateless seeds split and folded per step, a
# stateless shuffle and index_shuffle (a permutation without materialising it),
# stateless_binomial, RNG states for Generators, and the global generator.
import numpy as np
import tensorflow as tf

seed = tf.constant([7, 42], dtype=tf.int64)

# split: new independent seeds, deterministic; fold_in: one seed per step.
seeds = tf.random.experimental.stateless_split(seed, num=3)
assert seeds.shape == (3, 2) and seeds.dtype == tf.int64
same_seeds = tf.random.experimental.stateless_split(seed, 3)
np.testing.assert_array_equal(seeds.numpy(), same_seeds.numpy())
assert len({tuple(s) for s in seeds.numpy().tolist()}) == 3
step_seeds = [tf.random.experimental.stateless_fold_in(seed, step) for step in range(4)]
assert all(s.shape == (2,) for s in step_seeds)
assert len({tuple(s.numpy().tolist()) for s in step_seeds}) == 4
np.testing.assert_array_equal(
    step_seeds[2].numpy(), tf.random.experimental.stateless_fold_in(seed, 2).numpy()
)
noise_a = tf.random.stateless_normal([5], seed=step_seeds[0])
noise_b = tf.random.stateless_normal([5], seed=step_seeds[1])
assert not np.allclose(noise_a.numpy(), noise_b.numpy())
np.testing.assert_allclose(noise_a.numpy(), tf.random.stateless_normal([5], seed=step_seeds[0]))

# A stateless shuffle is a permutation fixed by its seed.
values = tf.range(10)
shuffled = tf.random.experimental.stateless_shuffle(values, seed=seed)
assert sorted(shuffled.numpy().tolist()) == list(range(10))
np.testing.assert_array_equal(
    shuffled.numpy(), tf.random.experimental.stateless_shuffle(values, seed=seed).numpy()
)

# index_shuffle maps each index of [0, max_index] to a distinct one: a lazy permutation.
perm_seed = tf.constant([5, 9], dtype=tf.int64)
mapped = [
    int(tf.random.experimental.index_shuffle(i, seed=perm_seed, max_index=9)) for i in range(10)
]
assert sorted(mapped) == list(range(10)), mapped
again = tf.random.experimental.index_shuffle(tf.range(10, dtype=tf.int64), perm_seed, 9)
np.testing.assert_array_equal(again.numpy(), mapped)

# stateless_binomial: counts and probabilities broadcast to the shape.
draws = tf.random.stateless_binomial(shape=[4000, 2], seed=seed, counts=10.0, probs=[0.2, 0.8])
assert draws.shape == (4000, 2) and draws.dtype == tf.int32
means = tf.reduce_mean(tf.cast(draws, tf.float32), axis=0).numpy()
np.testing.assert_allclose(means, [2.0, 8.0], atol=0.2)
assert int(tf.reduce_min(draws)) >= 0 and int(tf.reduce_max(draws)) <= 10
try:  # the shape must end with the parameters' broadcast shape
    tf.random.stateless_binomial([2, 3], seed=seed, counts=10.0, probs=[[0.2], [0.8]])
    raise AssertionError("probs of shape (2, 1) should not fit shape [2, 3]")
except tf.errors.InvalidArgumentError:
    pass

# RNG states: create_rng_state gives the state a Generator starts from.
state = tf.random.create_rng_state(1234, alg="philox")
assert state.shape == (3,) and state.dtype == tf.int64
np.testing.assert_array_equal(
    state, tf.random.experimental.create_rng_state(1234, alg=tf.random.Algorithm.PHILOX)
)
# A Python int is split into 64-bit words; other integer seeds are padded on the left.
np.testing.assert_array_equal(tf.random.create_rng_state(5, "philox"), [5, 0, 0])
np.testing.assert_array_equal(tf.random.create_rng_state(np.int64(5), "philox"), [0, 0, 5])
np.testing.assert_array_equal(tf.random.create_rng_state([7, 8], "threefry"), [7, 8])
try:  # a stateless seed is two integers
    tf.random.experimental.stateless_split([1, 2, 3])
    raise AssertionError("a 3-word seed should be refused")
except tf.errors.InvalidArgumentError:
    pass
assert tf.random.experimental.Algorithm is tf.random.Algorithm
assert tf.random.experimental.Generator is tf.random.Generator
g1 = tf.random.Generator.from_state(state, alg="philox")
g2 = tf.random.Generator.from_seed(1234, alg="philox")
np.testing.assert_allclose(g1.normal([4]).numpy(), g2.normal([4]).numpy())

# The global generator can be replaced by a seeded one.
tf.random.experimental.set_global_generator(tf.random.Generator.from_seed(99))
first = tf.random.experimental.get_global_generator().uniform([3])
tf.random.set_global_generator(tf.random.Generator.from_seed(99))
second = tf.random.get_global_generator().uniform([3])
np.testing.assert_allclose(first.numpy(), second.numpy())
assert float(tf.reduce_min(first)) >= 0.0 and float(tf.reduce_max(first)) < 1.0
print("random experimental seeds: ok")
