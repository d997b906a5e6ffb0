"""How Keras layers treat masks and padding: merges, BatchNormalization, TimeDistributed,
Bidirectional, attention and Softmax, each checked against NumPy."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)

# Two padded sequences: a masks steps 2, 3 of example 0; b masks step 3 of example 0.
a = rng.normal(size=(2, 4, 3)).astype("float32")
b = rng.normal(size=(2, 4, 3)).astype("float32")
a[0, 2:] = 0.0
b[0, 3] = 0.0
ma, mb = (a != 0).any(-1), (b != 0).any(-1)


def masked(x):
    return keras.layers.Masking()(tf.constant(x))


# Multiply: a masked value counts as 1; a step masked in every input gives 0.
both = keras.layers.Multiply()([masked(a), masked(b)])
ref = np.where(ma[..., None], a, 1.0) * np.where(mb[..., None], b, 1.0)
ref = np.where((ma | mb)[..., None], ref, 0.0)
np.testing.assert_allclose(both.numpy(), ref, rtol=1e-6)
np.testing.assert_array_equal(both._keras_mask.numpy(), ma | mb)

# Maximum: a masked value takes no part.
top = keras.layers.Maximum()([masked(a), tf.constant(b)]).numpy()
np.testing.assert_allclose(top, np.where(ma[..., None], np.maximum(a, b), b), rtol=1e-6)

# BatchNormalization in training: moments over the unmasked steps only.
bn = keras.layers.BatchNormalization(momentum=0.0, epsilon=1e-3)
y = bn(masked(a), training=True).numpy()
kept = a[ma]
np.testing.assert_allclose(bn.moving_mean.numpy(), kept.mean(0), rtol=1e-4, atol=1e-6)
np.testing.assert_allclose(bn.moving_variance.numpy(), kept.var(0), rtol=1e-4, atol=1e-6)
np.testing.assert_allclose(
    y[ma], (kept - kept.mean(0)) / np.sqrt(kept.var(0) + 1e-3), rtol=1e-4, atol=1e-5
)

# TimeDistributed runs the layer once per timestep: BatchNormalization statistics per step.
td = keras.layers.TimeDistributed(keras.layers.BatchNormalization(epsilon=1e-3))
x = rng.normal(size=(5, 3, 2)).astype("float32")
per_step = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
np.testing.assert_allclose(td(x, training=True).numpy(), per_step, rtol=1e-4, atol=1e-5)

# Bidirectional with return_sequences: masked steps are zeros in both halves.
bi = keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True))
seq = bi(masked(a)).numpy()
assert np.all(seq[~ma] == 0.0) and np.all(np.abs(seq[ma]).sum(-1) > 0)

# Bidirectional needs the two directions to differ.
try:
    keras.layers.Bidirectional(keras.layers.GRU(2, go_backwards=True))
    raise AssertionError("expected a ValueError")
except ValueError:
    pass

# Softmax with a mask: masked positions are 0, and a row masked entirely is all zeros.
logits = tf.constant([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
keep = tf.constant([[True, False, True], [False, False, False]])
probs = keras.layers.Softmax()(logits, mask=keep).numpy()
e = np.exp(np.array([1.0, 3.0]) - 3.0)
np.testing.assert_allclose(probs[0], [e[0] / e.sum(), 0.0, e[1] / e.sum()], rtol=1e-6)
assert np.all(probs[1] == 0.0)

# MultiHeadAttention returning scores: a query that sees no key gets zero weights.
mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
q = rng.normal(size=(1, 3, 4)).astype("float32")
v = rng.normal(size=(1, 4, 4)).astype("float32")
attention_mask = np.array([[[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]]], dtype=bool)
_, scores = mha(q, v, attention_mask=attention_mask, return_attention_scores=True)
scores = scores.numpy()
assert np.all(scores[0, :, 1] == 0.0)
np.testing.assert_allclose(scores[0, :, 0].sum(-1), 1.0, rtol=1e-5)
np.testing.assert_allclose(scores[0, :, 2, 0], 1.0, rtol=1e-5)

# Permute moves the time axis: the mask does not pass through.
assert getattr(keras.layers.Permute((2, 1))(masked(a)), "_keras_mask", None) is None

# Convolutions refuse strides > 1 together with dilation > 1.
try:
    keras.layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    raise AssertionError("expected a ValueError")
except ValueError:
    pass

print("masked layer semantics: ok")
