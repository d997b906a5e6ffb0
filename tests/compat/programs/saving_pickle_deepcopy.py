# Keras 3 models pickle and deep-copy through the .keras format (distributed frameworks and
# scikit-learn do both): weights and the optimizer's state travel, a copy trains on its own.
import copy
import pickle

import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
x = np.ones((1, 3), "float32")

restored = pickle.loads(pickle.dumps(model))
np.testing.assert_allclose(restored(x), model(x))
assert int(restored.optimizer.iterations.numpy()) == 1

twin = copy.deepcopy(model)
assert twin.layers[0].kernel is not model.layers[0].kernel
np.testing.assert_allclose(twin(x), model(x))
twin.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
assert not np.allclose(twin(x), model(x))
print("ok")
