"""A custom training loop under ``strategy.scope()``; run alone or under mpiexec.

Usage: python custom_loop_worker.py MODE OUT.npz
  plain     grads = tape.gradient(...); optimizer.apply_gradients(zip(grads, ...))
  rescale   the gradients are multiplied by 0.25 between the two (as a clip changes them)
Each worker takes its rows of every global batch of 32; its loss is the sum over its rows
divided by 32, so the summed gradients are those of the global batch's mean loss. Buckets
of 4 KB, so that each step has several. Writes the final weights and the strategy's
reduction counts to OUT.rankR.npz.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import gpuflow as tf  # noqa: E402
from gpuflow.cli.train import DIGITS_SIZE, build_model, prepare  # noqa: E402
from gpuflow.datasets import digits  # noqa: E402

GLOBAL_BATCH = 32


def main() -> None:
    mode, out = sys.argv[1], sys.argv[2]
    tf.config.set_floatx("float64")
    tf.random.set_seed(11)
    (x, y), _ = digits.load_data(image_size=DIGITS_SIZE)
    x, y = prepare(x[:128], "mlp", "float64"), y[:128]
    options = tf.distribute.experimental.CommunicationOptions(bytes_per_pack=4096)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    with strategy.scope():
        model = build_model("mlp", x.shape[1:])
        optimizer = tf.keras.optimizers.SGD(0.1)
        for _ in range(2):
            for start in range(0, len(x), GLOBAL_BATCH):
                rows = strategy.local_rows(GLOBAL_BATCH)
                xb = x[start : start + GLOBAL_BATCH][rows]
                yb = y[start : start + GLOBAL_BATCH][rows]
                with tf.GradientTape() as tape:
                    per_row = tf.keras.losses.sparse_categorical_crossentropy(yb, model(xb))
                    loss = tf.reduce_sum(per_row) / GLOBAL_BATCH
                grads = tape.gradient(loss, model.trainable_variables)
                if mode == "rescale":
                    grads = [g * 0.25 for g in grads]
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
    rank = strategy.cluster_resolver.task_id
    arrays = {f"w{i}": w.numpy() for i, w in enumerate(model.weights)}
    for key, count in strategy._reductions.items():
        arrays[f"count_{key}"] = np.asarray(count)
    np.savez(out.replace(".npz", f".rank{rank}.npz"), **arrays)


if __name__ == "__main__":
    main()
