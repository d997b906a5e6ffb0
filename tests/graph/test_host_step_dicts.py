"""A host call recorded with dict arguments gets each replay's tensors under the right keys.

``nest.flatten`` orders a dict's leaves by sorted key; the replay rebuilds the arguments in
the same order, whatever the dict's own key order (a regression: a multi-output model
with targets in a dict whose keys were not sorted mixed its targets up once compiled).
"""

import sys

import numpy as np

import gpuflow as gf


def test_compiled_fit_keeps_dict_targets_with_their_outputs():
    gf.random.set_seed(0)
    inputs = gf.keras.Input(shape=(4,))
    score = gf.keras.layers.Dense(1, name="score")(inputs)
    klass = gf.keras.layers.Dense(3, name="klass")(inputs)
    model = gf.keras.Model(inputs, [score, klass])
    model.compile(
        optimizer="sgd",
        loss={"score": "mse", "klass": "categorical_crossentropy"},
        metrics={"score": ["mae"], "klass": ["categorical_accuracy"]},
    )
    rng = np.random.default_rng(0)
    x = rng.random((16, 4), dtype=np.float32)
    # insertion order "score", "klass": sorted order is the other way round
    y = {"score": rng.random((16, 1), dtype=np.float32), "klass": np.eye(3)[rng.integers(0, 3, 16)]}
    ds = gf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    history = model.fit(ds, epochs=2, verbose=0)
    assert np.isfinite(history.history["score_mae"][-1])
    score_pred = model.predict(x, verbose=0)[0]
    np.testing.assert_allclose(
        model.evaluate(ds, verbose=0, return_dict=True)["score_mae"],
        np.abs(score_pred - y["score"]).mean(),
        rtol=1e-5,
    )


def test_replayed_host_call_receives_dict_values_by_key(capsys):
    @gf.function
    def step(a, b):
        gf.print({"zeta": a, "alpha": b}, output_stream=sys.stdout)
        return a + b

    for value in (1, 2):
        step(gf.constant(value), gf.constant(10 * value))
    lines = capsys.readouterr().out.splitlines()
    assert step.experimental_get_tracing_count() == 1
    assert lines == ["{'zeta': 1, 'alpha': 10}", "{'zeta': 2, 'alpha': 20}"]
