"""A custom training loop that checkpoints with CheckpointManager, stops, and resumes exactly."""

import os

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32") + 0.1).astype("float32")
batches = [(x[i : i + 16], y[i : i + 16]) for i in range(0, 64, 16)]


def make():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4,)),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    optimizer = tf.keras.optimizers.Adam(0.01)
    optimizer.build(model.trainable_variables)
    return model, optimizer


def train_step(model, optimizer, xb, yb):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(xb) - yb))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return float(loss)


def run(model, optimizer, ckpt, manager, until):
    while int(ckpt.step) < until:
        xb, yb = batches[int(ckpt.step) % len(batches)]
        train_step(model, optimizer, xb, yb)
        ckpt.step.assign_add(1)
        manager.save()


# The reference: 8 steps in one go.
tf.keras.utils.set_random_seed(1)
ref_model, ref_opt = make()
ref_ckpt = tf.train.Checkpoint(step=tf.Variable(0), model=ref_model, optimizer=ref_opt)
run(
    ref_model,
    ref_opt,
    ref_ckpt,
    tf.train.CheckpointManager(ref_ckpt, "./reference", max_to_keep=2),
    until=8,
)

# The same from the same start, interrupted after 5 steps...
tf.keras.utils.set_random_seed(1)
model, optimizer = make()
ckpt = tf.train.Checkpoint(step=tf.Variable(0), model=model, optimizer=optimizer)
manager = tf.train.CheckpointManager(ckpt, "./tf_ckpts", max_to_keep=3)
assert manager.latest_checkpoint is None
run(model, optimizer, ckpt, manager, until=5)
assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-3", "ckpt-4", "ckpt-5"]
assert os.path.exists("./tf_ckpts/checkpoint")
assert not os.path.exists("./tf_ckpts/ckpt-1.index")

# ... and resumed by a new process: fresh objects (other initial weights), restored.
tf.keras.utils.set_random_seed(99)
model2, optimizer2 = make()
ckpt2 = tf.train.Checkpoint(step=tf.Variable(0), model=model2, optimizer=optimizer2)
manager2 = tf.train.CheckpointManager(ckpt2, "./tf_ckpts", max_to_keep=3)
assert manager2.latest_checkpoint == tf.train.latest_checkpoint("./tf_ckpts")
status = ckpt2.restore(manager2.latest_checkpoint)
status.assert_existing_objects_matched()
assert int(ckpt2.step) == 5
assert int(optimizer2.iterations) == 5
run(model2, optimizer2, ckpt2, manager2, until=8)

assert manager2.latest_checkpoint.endswith("ckpt-8")
for resumed, reference in zip(model2.get_weights(), ref_model.get_weights()):
    np.testing.assert_array_equal(resumed, reference)
print("resumed at step 5, weights after step 8 equal the uninterrupted run")
