"""keras.saving.KerasFileEditor: adapt an old weights file to a changed architecture
(Keras 3's file editor guide): insert an identity layer, rename, compare, resave."""

import keras
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(3)
Dense = tf.keras.layers.Dense
old = tf.keras.Sequential([tf.keras.Input((3,)), Dense(4, activation="relu"), Dense(2)])
x = np.random.default_rng(0).random((5, 3)).astype("float32")
want = old.predict(x, verbose=0)
old.save_weights("old.weights.h5")
old.compile("sgd", "mse")
old.fit(x, want, epochs=1, verbose=0)
old.save("old.keras")

editor = keras.saving.KerasFileEditor("old.weights.h5")
assert editor.config is None and editor.metadata is None
assert list(editor.weights_dict) == ["layers"]
assert sorted(editor.weights_dict["layers"]) == ["dense", "dense_1"]
assert editor.weights_dict["layers"]["dense"]["0"].shape == (3, 4)
np.testing.assert_array_equal(
    editor.weights_dict["layers"]["dense_1"]["1"], old.layers[1].bias.numpy()
)
editor.summary()

# the new model has a Dense(4) between them: starting as the identity keeps the outputs
new = tf.keras.Sequential([tf.keras.Input((3,)), Dense(4, activation="relu"), Dense(4), Dense(2)])
report = editor.compare(new)
assert report["status"] == "error" and report["error_count"] >= 1, report
editor.rename_object("layers/dense_1", "dense_2")
editor.add_object("layers/dense_1", {"0": np.eye(4, dtype="float32"), "1": np.zeros(4, "float32")})
report = editor.compare(new)
# (Keras counts nested matches more than once: 14 there for the 6 weights, 6 here)
assert report["status"] == "success" and report["error_count"] == 0, report
assert report["match_count"] >= 6, report
editor.save("new.weights.h5")
new.load_weights("new.weights.h5")
np.testing.assert_allclose(new.predict(x, verbose=0), want, rtol=1e-6)

# weight-level edits, and what is refused
editor.delete_weight("layers/dense_2", "1")
assert list(editor.weights_dict["layers"]["dense_2"]) == ["0"]
editor.add_weights("layers/dense_2", {"1": np.ones(2, "float32")})
np.testing.assert_array_equal(editor.weights_dict["layers"]["dense_2"]["1"], [1.0, 1.0])
for bad, words in [
    (lambda: editor.delete_object("layers/missing"), "not found"),
    (lambda: editor.rename_object("dense_2", "a/b"), "leaf name"),
    (lambda: editor.add_weights("layers/dense_2", [np.ones(2)]), "should be a dict"),
    (lambda: editor.delete_weight("layers/dense_2", "5"), "Weight 5 not found"),
    (lambda: editor.save("new.keras"), ".weights.h5"),
    (lambda: editor.delete_object("no_such_layer"), "does not appear"),
]:
    try:
        bad()
    except ValueError as error:
        assert words in str(error), (words, str(error))
    else:
        raise AssertionError(f"no error: {words}")
editor.delete_object("layers/dense_1")
assert sorted(editor.weights_dict["layers"]) == ["dense", "dense_2"]

# a .keras archive: its config, metadata and the optimizer's variables
archive = keras.saving.KerasFileEditor("old.keras")
assert archive.config["class_name"] == "Sequential"
assert archive.metadata["keras_version"].startswith("3.")
assert sorted(archive.weights_dict) == ["layers", "optimizer"]
assert archive.weights_dict["optimizer"]["0"] == 1  # iterations after one step
assert archive.compare(old)["status"] == "success"
print("ok")
