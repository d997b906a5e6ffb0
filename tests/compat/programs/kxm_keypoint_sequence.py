# keras.io "Keypoint Detection with Transfer Learning": a keras.utils.Sequence of int images and
# (1, 1, 48) targets, a frozen MobileNetV2(weights=None) backbone, preprocess_input on a symbolic
# input, SeparableConv2D regression head
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

SIZE, POINTS, BATCH = 32, 8, 2


class PointBatches(keras.utils.Sequence):
    def __init__(self, keys, shuffle=True):
        super().__init__()
        self.keys = keys
        self.shuffle = shuffle
        self.on_epoch_end()

    def __len__(self):
        return len(self.keys) // BATCH

    def on_epoch_end(self):
        self.order = np.arange(len(self.keys))
        if self.shuffle:
            np.random.shuffle(self.order)

    def __getitem__(self, index):
        picked = self.order[index * BATCH : (index + 1) * BATCH]
        images = np.empty((BATCH, SIZE, SIZE, 3), dtype="int")
        points = np.empty((BATCH, 1, 1, POINTS), dtype="float32")
        for i, k in enumerate(picked):
            rng = np.random.default_rng(int(self.keys[k]))
            images[i,] = rng.integers(0, 256, (SIZE, SIZE, 3))
            points[i,] = rng.uniform(0, SIZE, POINTS).reshape(1, 1, POINTS)
        return images, points / SIZE


train = PointBatches(list(range(6)))
val = PointBatches(list(range(6, 10)), shuffle=False)
assert len(train) == 3 and len(val) == 2
x0, y0 = train[0]
assert x0.dtype == np.int64 and y0.shape == (BATCH, 1, 1, POINTS)
assert 0.0 <= y0.min() and y0.max() <= 1.0

# the example's backbone, built without pretrained weights
mnet = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
assert mnet.output_shape == (None, 3, 3, 1280)
mnet.trainable = False
assert mnet.trainable_weights == [] and len(mnet.non_trainable_weights) > 100

# preprocess_input scales [0, 255] to [-1, 1]
np.testing.assert_allclose(
    keras.applications.mobilenet_v2.preprocess_input(np.array([0.0, 127.5, 255.0])),
    [-1.0, 0.0, 1.0],
)

backbone = keras.Sequential(
    [layers.Input((SIZE, SIZE, 3)), layers.Conv2D(8, 3, strides=4, activation="relu")],
    name="backbone",
)
backbone.trainable = False
inp = layers.Input((SIZE, SIZE, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inp)
x = backbone(x)
assert x.shape == (None, 8, 8, 8)
x = layers.Dropout(0.3)(x)
x = layers.SeparableConv2D(POINTS, kernel_size=5, strides=2, activation="relu")(x)
out = layers.SeparableConv2D(POINTS, kernel_size=2, activation="sigmoid")(x)
model = keras.Model(inp, out, name="keypoint_detector")
assert model.output_shape == (None, 1, 1, POINTS)
assert [type(layer).__name__ for layer in model.layers] == [
    "InputLayer",
    "Sequential",
    "Dropout",
    "SeparableConv2D",
    "SeparableConv2D",
]
# depthwise + pointwise kernels and a bias per SeparableConv2D
sep = model.layers[3]
assert [tuple(w.shape) for w in sep.weights] == [(5, 5, 8, 1), (1, 1, 8, POINTS), (POINTS,)]
assert len(model.trainable_weights) == 6

model.compile(loss="mse", optimizer=keras.optimizers.Adam(1e-3))
hist = model.fit(train, validation_data=val, epochs=2, verbose=0)
assert sorted(hist.history) == ["loss", "val_loss"] and len(hist.history["loss"]) == 2
pred = model.predict(x0, verbose=0).reshape(-1, POINTS // 2, 2) * SIZE
assert pred.shape == (BATCH, POINTS // 2, 2) and pred.dtype == np.float32
assert (pred >= 0).all() and (pred <= SIZE).all()
print("ok")
