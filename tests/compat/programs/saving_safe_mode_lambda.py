"""A Lambda layer in a .keras file is refused in safe mode and loads with safe_mode=False."""

import numpy as np
from tensorflow import keras

model = keras.Sequential(
    [keras.Input(shape=(3,)), keras.layers.Lambda(lambda t: t * 2.0), keras.layers.Dense(1)]
)
model.save("lambda.keras")
x = np.arange(6, dtype="float32").reshape(2, 3)

try:
    keras.models.load_model("lambda.keras")
except ValueError:
    pass
else:
    raise AssertionError("safe mode must refuse a Lambda layer")

restored = keras.models.load_model("lambda.keras", safe_mode=False)
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
print("ok")
