# keras.io "Estimating required sample size for model training": train the same model from
# the same initial weights on growing subsets, record test accuracy, fit a learning curve
# (accuracy = a - b * n^-c, linearized as log(a - acc) against log n) and extrapolate the
# sample size that reaches a target accuracy.
import keras
import numpy as np

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)

n_classes, dim = 4, 20
centers = rng.normal(0, 1.0, size=(n_classes, dim))


def sample(n):
    labels = rng.integers(0, n_classes, n)
    return (centers[labels] + rng.normal(0, 1.6, size=(n, dim))).astype("float32"), labels


x_pool, y_pool = sample(1200)
x_test, y_test = sample(600)


def build_model():
    model = keras.Sequential(
        [keras.Input((dim,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(4)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.005),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


initial = build_model()
initial_weights = initial.get_weights()

sizes = [25, 50, 100, 200, 400, 800]
accuracies = []
for size in sizes:
    model = build_model()
    model.set_weights(initial_weights)  # same starting point for every subset
    model.fit(x_pool[:size], y_pool[:size], epochs=40, batch_size=25, verbose=0)
    accuracies.append(model.evaluate(x_test, y_test, verbose=0)[1])
accuracies = np.array(accuracies)

# more data helps: the largest subset beats the smallest by a wide margin
assert accuracies[-1] > accuracies[0] + 0.1, accuracies
assert accuracies[-1] > 0.7, accuracies

# learning curve fit; ceiling a slightly above the best accuracy seen
a = min(accuracies.max() + 0.05, 0.999)
gap = np.maximum(a - accuracies, 1e-3)
slope, intercept = np.polyfit(np.log(sizes), np.log(gap), 1)
assert slope < 0, slope  # the gap to the ceiling shrinks with n
target = accuracies[-2]
needed = np.exp((np.log(a - target) - intercept) / slope)
assert 25 < needed < 4000, needed
print("accuracies", np.round(accuracies, 3), "n for", round(float(target), 3), "~", int(needed))
