"""Worker scripts for the distribute tests (run alone or under mpiexec).

Usage: python scenario_worker.py MODE OUT_DIR [extra]
  custom LR      a custom train_step, compiled outside the scope with SGD(LR); saves weights
  checkpoint     1 epoch with ModelCheckpoint (only rank 0 may write); saves weights
  resume         load OUT_DIR/ckpt.weights.h5 and train epoch 2 (one process)
  full           2 epochs in one go (one process, the reference of resume)
  collectives    ReplicaContext.all_reduce, replica ids and Strategy.gather in strategy.run
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import gpuflow as tf  # noqa: E402
from gpuflow.cli.train import DIGITS_SIZE, build_model, prepare  # noqa: E402
from gpuflow.datasets import digits  # noqa: E402


class CustomStep(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class RecordingCheckpoint(tf.keras.callbacks.ModelCheckpoint):
    def on_epoch_end(self, epoch, logs=None):
        rank = self.model.distribute_strategy.cluster_resolver.task_id
        with open(Path(sys.argv[2]) / f"saved_by_rank{rank}", "w"):
            pass
        super().on_epoch_end(epoch, logs)


def collectives(out: Path) -> None:
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    rank = strategy.cluster_resolver.task_id

    def replica_fn():
        ctx = tf.distribute.get_replica_context()
        total = ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.constant([rank + 1.0]))
        return total, ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync

    with strategy.scope():
        assert tf.distribute.in_cross_replica_context()
        total, replica_id, replicas = strategy.run(replica_fn)
        gathered = strategy.gather(tf.constant([[rank, 10 * rank]]), axis=0)
    np.savez(
        out / f"collectives.rank{rank}.npz",
        total=total.numpy(),
        replica_id=replica_id.numpy(),
        replicas=replicas,
        gathered=gathered.numpy(),
    )


def main() -> None:
    mode, out = sys.argv[1], Path(sys.argv[2])
    if mode == "collectives":
        return collectives(out)
    tf.config.set_floatx("float64")
    tf.random.set_seed(3)
    (x, y), _ = digits.load_data(image_size=DIGITS_SIZE)
    x, y = prepare(x[:128], "mlp", "float64"), y[:128]
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    rank = strategy.cluster_resolver.task_id
    with strategy.scope():
        if mode == "custom":
            model = CustomStep(build_model("mlp", x.shape[1:]).layers)
        else:
            model = build_model("mlp", x.shape[1:])
    lr = float(sys.argv[3]) if mode == "custom" else 0.1
    model.compile(optimizer=tf.keras.optimizers.SGD(lr), loss="sparse_categorical_crossentropy")
    if mode == "custom":
        model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    elif mode == "checkpoint":
        model.fit(
            x,
            y,
            batch_size=32,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=[RecordingCheckpoint(str(out / "ckpt.weights.h5"), save_weights_only=True)],
        )
    elif mode == "resume":
        model.load_weights(str(out / "ckpt.weights.h5"))
        model.fit(x, y, batch_size=32, epochs=2, initial_epoch=1, shuffle=False, verbose=0)
    else:
        model.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=0)
    np.savez(out / f"{mode}.rank{rank}.npz", *[w.numpy() for w in model.weights])


if __name__ == "__main__":
    main()
