"""keras.layers.IntegerLookup's docstring: several OOV indices assigned by floormod or by
FarmHash64 (oov_method="farmhash"), or by SipHash with a salt."""

import numpy as np
import tensorflow as tf

keras = tf.keras
vocab = [12, 36, 1138, 42]
data = np.array([[12, 1138, 42], [42, 1000, 36]])
layer = keras.layers.IntegerLookup(vocabulary=vocab)
np.testing.assert_array_equal(np.asarray(layer(data)), [[1, 3, 4], [4, 0, 2]])

oov_values = np.array([1000, 1002, 1004, 1006, 1008, 1010])
floormod = keras.layers.IntegerLookup(vocabulary=vocab, num_oov_indices=4)
# all-even ids and an even bucket count: floormod uses only half the buckets
np.testing.assert_array_equal(np.asarray(floormod(oov_values)), [0, 2, 0, 2, 0, 2])
farmhash = keras.layers.IntegerLookup(vocabulary=vocab, num_oov_indices=4, oov_method="farmhash")
got = np.asarray(farmhash(oov_values))
np.testing.assert_array_equal(got, [1, 3, 1, 3, 3, 2])  # values TF 2.21 prints
ids = np.array([[1000, 1002, 1004, 7, 12, 36], [5, 999999, -3, 8, 2**40, 42]], "int64")
np.testing.assert_array_equal(np.asarray(farmhash(ids)), [[1, 3, 1, 0, 4, 5], [3, 2, 3, 3, 2, 7]])
salted = keras.layers.IntegerLookup(
    vocabulary=vocab, num_oov_indices=5, oov_method="farmhash", salt=[3, 9]
)
np.testing.assert_array_equal(np.asarray(salted(ids)), [[4, 2, 3, 3, 5, 6], [2, 2, 1, 4, 3, 8]])
config = salted.get_config()
assert config["oov_method"] == "farmhash" and list(config["salt"]) == [3, 9]
again = keras.layers.IntegerLookup.from_config(config)
np.testing.assert_array_equal(np.asarray(again(ids)), np.asarray(salted(ids)))
try:
    keras.layers.IntegerLookup(vocabulary=vocab, num_oov_indices=2, salt=5)
except ValueError as err:
    assert "salt" in str(err) and "farmhash" in str(err)
else:
    raise AssertionError("salt without oov_method='farmhash' was accepted")
print("ok")
