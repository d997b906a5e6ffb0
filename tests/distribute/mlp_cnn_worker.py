"""Trains the lecture MLP or CNN on a digits subset; run alone or under mpiexec.

Usage: python mlp_cnn_worker.py MODEL OUT.npz [--no-strategy | --single] [--compiled]
       [--small-buckets]
(--single: the strategy, one process, even without mpi4py; --small-buckets: 4 KB buckets)
Writes the final weights, History and the strategy's gradient reduction counts to
OUT.rankR.npz.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import gpuflow as tf  # noqa: E402
from gpuflow.cli.train import DIGITS_SIZE, build_model, prepare  # noqa: E402
from gpuflow.datasets import digits  # noqa: E402


def main() -> None:
    name, out = sys.argv[1], sys.argv[2]
    use_strategy = "--no-strategy" not in sys.argv
    tf.config.set_floatx("float64")
    tf.random.set_seed(7)
    (x, y), _ = digits.load_data(image_size=DIGITS_SIZE)
    x = prepare(x[:192], name, "float64")
    y = y[:192]
    strategy = None
    if "--single" in sys.argv:
        strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    elif use_strategy:
        pack = 4096 if "--small-buckets" in sys.argv else 0  # several buckets per step
        options = tf.distribute.experimental.CommunicationOptions(bytes_per_pack=pack)
        strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    if strategy is not None:
        with strategy.scope():
            model = build_model(name, x.shape[1:])
            model.compile(
                optimizer=tf.keras.optimizers.SGD(0.1),
                loss="sparse_categorical_crossentropy",
                metrics=["accuracy"],
                run_eagerly="--compiled" not in sys.argv,
            )
    else:
        model = build_model(name, x.shape[1:])
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.1),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    history = model.fit(
        x, y, batch_size=32, epochs=2, shuffle=True, verbose=0, validation_data=(x[:64], y[:64])
    )
    rank = strategy.cluster_resolver.task_id if strategy is not None else 0
    weights = [w.numpy() for w in model.weights]
    arrays = {f"w{i}": w for i, w in enumerate(weights)}
    for key, values in history.history.items():
        arrays[f"h_{key}"] = np.asarray(values)
    for key, count in (strategy._reductions if strategy is not None else {}).items():
        arrays[f"count_{key}"] = np.asarray(count)  # how apply_gradients reduced
    np.savez(out.replace(".npz", f".rank{rank}.npz"), **arrays)


if __name__ == "__main__":
    main()
