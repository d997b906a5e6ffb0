"""Keras models as SavedModels: tf.saved_model.save (a serving signature on the model's
call), model.export (the "serve" endpoint) and keras.export.ExportArchive."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(5, 4, 4)).astype("float32")

inputs = keras.Input((4, 4), name="image")
h = keras.layers.Flatten()(inputs)
h = keras.layers.Dense(8, activation="relu")(h)
h = keras.layers.Dropout(0.3)(h)
h = keras.layers.BatchNormalization()(h)
outputs = keras.layers.Dense(3, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, np.array([0, 1, 2, 1, 0]), epochs=2, batch_size=5, verbose=0)
expected = model.predict(x, verbose=0)

tf.saved_model.save(model, "keras_saved_model")
loaded = tf.saved_model.load("keras_saved_model")
serve = loaded.signatures["serving_default"]
assert list(serve.structured_input_signature[1]) == ["inputs"]
assert serve.structured_outputs["output_0"].shape.as_list() == [None, 3]
np.testing.assert_allclose(serve(inputs=tf.constant(x))["output_0"].numpy(), expected, atol=1e-5)
np.testing.assert_allclose(  # another batch size: the same saved function
    serve(inputs=tf.constant(x[:2]))["output_0"].numpy(), expected[:2], atol=1e-5
)

model.export("exported_model", verbose=False)
reloaded = tf.saved_model.load("exported_model")
np.testing.assert_allclose(reloaded.serve(x).numpy(), expected, atol=1e-5)
np.testing.assert_allclose(reloaded.serve(x[3:]).numpy(), expected[3:], atol=1e-5)
assert sorted(reloaded.signatures.keys()) == ["serve", "serving_default"]
by_name = reloaded.signatures["serving_default"](image=tf.constant(x))
np.testing.assert_allclose(by_name["output_0"].numpy(), expected, atol=1e-5)
assert len(reloaded.trainable_variables) == len(model.trainable_variables) == 6
assert len(reloaded.variables) == len(model.variables)
for saved, original in zip(reloaded.trainable_variables, model.trainable_variables):
    np.testing.assert_array_equal(saved.numpy(), original.numpy())

# Gradients through the loaded endpoint, with respect to the loaded variables.
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(reloaded.serve(x)[:, 0])
grads = tape.gradient(loss, reloaded.trainable_variables)
with tf.GradientTape() as tape:
    loss_ref = tf.reduce_sum(model(x, training=False)[:, 0])
grads_ref = tape.gradient(loss_ref, model.trainable_variables)
for g, g_ref in zip(grads, grads_ref):
    np.testing.assert_allclose(g.numpy(), g_ref.numpy(), atol=1e-5)

seq = keras.Sequential([keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)])
seq.build((None, 3))
archive = keras.export.ExportArchive()
archive.track(seq)
archive.add_endpoint(
    name="predict_one",
    fn=lambda v: seq(v, training=False),
    input_signature=[tf.TensorSpec(shape=(None, 3), dtype=tf.float32)],
)
archive.add_variable_collection(name="weights", variables=seq.weights)
archive.write_out("archive_model", verbose=False)
revived = tf.saved_model.load("archive_model")
v = rng.normal(size=(6, 3)).astype("float32")
np.testing.assert_allclose(revived.predict_one(v).numpy(), seq(v).numpy(), atol=1e-6)
assert sorted(revived.signatures.keys()) == ["predict_one", "serving_default"]
assert len(revived.weights) == 4
print("saved_model_keras_model OK")
