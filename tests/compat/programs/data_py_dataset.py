"""keras.utils.PyDataset (the former Sequence): batches from Python code, fed to fit."""

import math

import numpy as np
from tensorflow import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_seen = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        low = index * self.batch_size
        high = min(low + self.batch_size, len(self.x))
        return self.x[low:high], self.y[low:high]

    def on_epoch_end(self):
        self.epochs_seen += 1


keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)
x = rng.normal(size=(200, 5)).astype("float32")
y = (x @ np.arange(1, 6, dtype="float32")).reshape(-1, 1)

train = Batches(x, y, batch_size=32)
assert len(train) == 7 and train[6][0].shape == (8, 5)

model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
history = model.fit(train, epochs=20, verbose=0)
assert train.epochs_seen >= 20
assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
assert model.evaluate(Batches(x, y, 50), verbose=0) < 1.0
assert model.predict(Batches(x, y, 64), verbose=0).shape == (200, 1)

threaded = Batches(x, y, batch_size=40, workers=2)
model.fit(threaded, epochs=1, verbose=0)
