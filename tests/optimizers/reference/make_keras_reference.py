"""Writes keras_optimizers.npz: for each case of optimizer_cases.py, the variables' values
after each of the STEPS updates with real Keras 3 in float64, and the optimizer's own
variables (``optimizer.variables``, Keras's order) after the last one.

Run from this folder with TensorFlow's interpreter:
    /work/tfvenv/bin/python make_keras_reference.py
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402
from optimizer_cases import NAMES, build, cases, gradients, initial_values  # noqa: E402

keras.backend.set_floatx("float64")  # the learning-rate variable too, so nothing rounds


def run(name):
    opt, exclude, finalize = build(keras.optimizers, keras.optimizers.schedules, name)
    variables = [
        keras.Variable(v, dtype="float64", name=n) for v, n in zip(initial_values(), NAMES)
    ]
    if exclude is not None:
        opt.exclude_from_weight_decay(
            var_list=[variables[i] for i in exclude.get("var_index", [])],
            var_names=exclude.get("var_names"),
        )
    rows = []
    for grads in gradients():
        opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in grads], variables))
        rows.append(np.concatenate([np.ravel(v.numpy()) for v in variables]))
    state = [np.asarray(v.numpy()) for v in opt.variables]  # Keras's order, before finalize
    if finalize:
        opt.finalize_variable_values(variables)
        rows.append(np.concatenate([np.ravel(v.numpy()) for v in variables]))
    return np.stack(rows), int(opt.iterations.numpy()), state


def main():
    out = {}
    for name in cases():
        trajectory, iterations, state = run(name)
        out[name] = trajectory
        out[f"{name}/iterations"] = np.asarray(iterations)
        if name.endswith(("-plain", "-ema", "-accumulation", "_ema")):  # the layouts
            for i, array in enumerate(state):
                out[f"{name}/variables/{i}"] = array
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_optimizers.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(cases())} cases to {path}")


if __name__ == "__main__":
    main()
