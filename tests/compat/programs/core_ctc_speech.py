# A toy speech-recognition step: frames of features -> per-frame logits -> tf.nn.ctc_loss,
# trained a few steps with a GradientTape, then decoded with the greedy and beam decoders.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
num_classes = 5  # 4 symbols + blank (last class for the decoders, and for the loss below)
blank = num_classes - 1
frames, batch, features = 12, 3, 6
labels = [[0, 1, 1], [2, 3], [3, 0, 2, 1]]

# each symbol is one feature direction; frames hold symbols with blanks between them
prototypes = rng.normal(size=(num_classes, features)).astype(np.float32)
x = np.zeros((batch, frames, features), np.float32)
for b, seq in enumerate(labels):
    path = []
    for s in seq:
        path += [s, s, blank]
    path += [blank] * (frames - len(path))
    x[b] = prototypes[path] + 0.1 * rng.normal(size=(frames, features))

dense_labels = tf.constant([seq + [0] * (4 - len(seq)) for seq in labels], dtype=tf.int32)
label_length = tf.constant([len(s) for s in labels], tf.int32)
logit_length = tf.constant([frames] * batch, tf.int32)
sparse_labels = tf.SparseTensor(
    indices=[[b, i] for b, seq in enumerate(labels) for i in range(len(seq))],
    values=tf.constant([s for seq in labels for s in seq], tf.int32),
    dense_shape=[batch, 4],
)

w = tf.Variable(tf.random.stateless_normal([features, num_classes], seed=[1, 2]) * 0.1)
b0 = tf.Variable(tf.zeros([num_classes]))
opt = tf.keras.optimizers.Adam(0.1)


def logits_of(inputs):
    return tf.einsum("btf,fc->btc", inputs, w) + b0  # batch-major [B, T, C]


first = None
for step in range(60):
    with tf.GradientTape() as tape:
        logits = logits_of(x)
        loss = tf.nn.ctc_loss(
            dense_labels,
            logits,
            label_length,
            logit_length,
            logits_time_major=False,
            blank_index=blank,
        )
        mean = tf.reduce_mean(loss)
    grads = tape.gradient(mean, [w, b0])
    opt.apply_gradients(zip(grads, [w, b0]))
    if first is None:
        first = float(mean)
last = float(mean)
assert last < first / 5, (first, last)

# the SparseTensor form of the labels gives the same loss
logits = logits_of(x)
sparse_loss = tf.nn.ctc_loss(
    sparse_labels, logits, None, logit_length, logits_time_major=False, blank_index=blank
)
dense_loss = tf.nn.ctc_loss(
    dense_labels, logits, label_length, logit_length, logits_time_major=False, blank_index=blank
)
np.testing.assert_allclose(sparse_loss.numpy(), dense_loss.numpy(), rtol=1e-4)

time_major = tf.transpose(logits, [1, 0, 2])
(greedy,), neg_sum = tf.nn.ctc_greedy_decoder(time_major, logit_length)
assert isinstance(greedy, tf.SparseTensor) and greedy.dtype == tf.int64
decoded = tf.sparse.to_dense(greedy, default_value=-1).numpy().tolist()
assert [[v for v in row if v >= 0] for row in decoded] == labels, decoded
assert neg_sum.shape == (batch, 1)

beams, log_probs = tf.nn.ctc_beam_search_decoder(
    time_major, logit_length, beam_width=8, top_paths=2
)
assert len(beams) == 2 and log_probs.shape == (batch, 2)
best = tf.sparse.to_dense(beams[0], default_value=-1).numpy().tolist()
assert [[v for v in row if v >= 0] for row in best] == labels, best
assert (log_probs.numpy()[:, 0] >= log_probs.numpy()[:, 1]).all()
# a confident model: the best path's probability is close to the whole label's
np.testing.assert_allclose(np.exp(log_probs.numpy()[:, 0]), np.exp(-dense_loss.numpy()), rtol=0.2)

merged, lengths = tf.nn.collapse_repeated(tf.constant([[1, 1, 2, 2, 2], [3, 3, 3, 0, 0]]), [5, 3])
assert merged.numpy().tolist() == [[1, 2], [3, 0]] and lengths.numpy().tolist() == [2, 1]
print("ok", first, last)
