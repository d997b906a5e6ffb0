"""Model-level benchmarks: the lecture MLP and CNN, next to their peers.

For each device, dtype and batch size (32 and 128), from the same initial weights:

- ``train_step``: one optimizer step on a fixed batch (forward, loss, backward, update).
- ``epoch``: samples per second over an epoch of the digits training images (28x28):
  gpuflow's ``model.fit(epochs=1)`` timed by a callback from epoch begin to epoch end
  (``fit``'s one-time setup left out, as it is once per ``fit`` call), the peers' own
  shuffled loops over the same data and batch size.
- ``inference``: latency of one forward pass at batch 1 and 128 (``model(x)`` with no
  gradients; the peers' forward passes).

Peers: the hand-written NumPy loop (MLP, CPU), PyTorch eager on the same device. All use
plain SGD with learning rate :data:`LEARNING_RATE` and softmax cross-entropy.
"""

from __future__ import annotations

import time

import numpy as np

from . import peers
from .timing import interleaved

LEARNING_RATE = 0.01
BATCH_SIZES = (32, 128)
INFERENCE_BATCHES = (1, 128)
MODELS = ("mlp", "cnn")


def build(model: str, dtype: str, device: str, seed: int = 0, optimizer=None):
    """The lecture ``model`` ("mlp" or "cnn", ``gpuflow.models.lecture``) in ``dtype`` as a
    compiled Sequential on ``device``: loss sparse categorical cross-entropy (in float64 for a
    float64 model, else float32: Keras 3 losses compute in floatx unless given a dtype), plain
    SGD unless ``optimizer`` is given, no metrics."""
    import gpuflow
    from gpuflow.mixed_precision import policy_scope
    from gpuflow.models.lecture import lecture_model

    gpuflow.random.set_seed(seed)
    with policy_scope(dtype), gpuflow.device(device):
        net = lecture_model(model)
        net.compile(
            optimizer=optimizer or gpuflow.optimizers.SGD(learning_rate=LEARNING_RATE),
            loss=gpuflow.losses.SparseCategoricalCrossentropy(
                dtype="float64" if dtype == "float64" else "float32"
            ),
        )
    return net


def load_digits(model: str, dtype: str, limit: int | None = None):
    """Digits 28x28 as ``((x_train, y_train), (x_test, y_test))``, pixels in [0, 1] in ``dtype``:
    flat for the MLP, ``[N, 28, 28, 1]`` for the CNN; labels int64."""
    from gpuflow.datasets import digits

    (x, y), (xt, yt) = digits.load_data(image_size=28)

    def prep(images):
        images = images.astype(dtype) / np.asarray(255, dtype)
        return (
            images.reshape(len(images), -1) if model == "mlp" else images.reshape(*images.shape, 1)
        )

    x, xt = prep(x), prep(xt)
    if limit:
        x, y = x[:limit], y[:limit]
    return (x, y.astype(np.int64)), (xt, yt.astype(np.int64))


def _epoch_timer(sync):
    from gpuflow.callbacks import Callback

    class EpochTimer(Callback):
        """Seconds of each epoch (``times``; ``seconds`` is the last), device synced at both
        ends."""

        def __init__(self) -> None:
            super().__init__()
            self.times: list = []

        def on_train_begin(self, logs=None):
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            sync()
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            sync()
            self.seconds = time.perf_counter() - self.start
            self.times.append(self.seconds)

    return EpochTimer()


class Setup:
    """gpuflow's model and its peers for one (model, device, dtype), from the same weights."""

    def __init__(self, model: str, device: str, dtype: str, limit: int | None = None) -> None:
        from gpuflow.backend import get_device

        self.model, self.device, self.dtype = model, device, dtype
        self.dev = get_device(device)
        self.sync = self.dev.synchronize
        (self.x, self.y), _ = load_digits(model, dtype, limit)
        self.net = build(model, dtype, device)
        self.net.build((None,) + self.x.shape[1:])
        weights = self.net.get_weights()
        self.peers: dict = {}
        self.skipped: dict = {}
        if model == "mlp" and self.dev.kind == "cpu":
            self.peers["numpy"] = peers.NumpyMLP(weights, dtype, LEARNING_RATE)
        else:
            self.skipped["numpy"] = (
                "the hand-written NumPy loop is the MLP's, on the CPU"
                if model == "mlp"
                else "no hand-written NumPy loop for the CNN (PyTorch is its peer)"
            )
        ok, why = peers.torch_available(device)
        key = f"torch-{peers.torch_device(device)}"
        if ok:
            self.peers[key] = peers.TorchNet(
                model, weights, dtype, device, LEARNING_RATE, flat_hw=(6, 6)
            )
        else:
            self.skipped[key] = why
        self.data = {name: self._peer_data(p) for name, p in self.peers.items()}
        self.timer = _epoch_timer(self.sync)

    def _peer_data(self, peer):
        if isinstance(peer, peers.TorchNet):
            x = peers.nchw(self.x) if self.model == "cnn" else self.x
            return peer.tensor(x), peer.tensor(self.y)
        return self.x, self.y

    def gpuflow_tensor(self, array):
        from gpuflow.tensor import Tensor

        return Tensor._wrap(self.dev.asarray(array), self.dev)

    # -- the three measurements -----------------------------------------------------
    def train_step_fns(self, batch: int) -> tuple[dict, dict]:
        xb, yb = self.gpuflow_tensor(self.x[:batch]), self.gpuflow_tensor(self.y[:batch])
        fns = {"gpuflow": lambda: float(self.net.train_step((xb, yb))["loss"])}
        syncs = {"gpuflow": self.sync}
        for name, peer in self.peers.items():
            px, py = self.data[name]
            fns[name] = lambda p=peer, a=px[:batch], b=py[:batch]: p.train_step(a, b)
            syncs[name] = getattr(peer, "sync", None) or (lambda: None)
        return fns, syncs

    def epoch_fns(self, batch: int) -> tuple[dict, dict, dict]:
        def fit():
            self.net.fit(
                self.x, self.y, batch_size=batch, epochs=1, verbose=0, callbacks=[self.timer]
            )

        def gpuflow_epoch() -> float:
            fit()
            return self.timer.seconds

        fns = {"gpuflow": fit}
        timers = {"gpuflow": gpuflow_epoch}
        syncs = {"gpuflow": self.sync}
        for name, peer in self.peers.items():
            px, py = self.data[name]
            fns[name] = lambda p=peer, a=px, b=py: p.epoch(a, b, batch)
            syncs[name] = getattr(peer, "sync", None) or (lambda: None)
        return fns, syncs, timers

    def inference_fns(self, batch: int) -> tuple[dict, dict]:
        from gpuflow.autodiff import no_grad

        xb = self.gpuflow_tensor(self.x[:batch])

        def forward():
            with no_grad():
                return self.net(xb, training=False)

        fns = {"gpuflow": forward}
        syncs = {"gpuflow": self.sync}
        for name, peer in self.peers.items():
            px = self.data[name][0][:batch]
            fns[name] = lambda p=peer, a=px: p.predict(a)
            syncs[name] = getattr(peer, "sync", None) or (lambda: None)
        return fns, syncs


def speed_ratios(results: dict, stat: str = "median_s") -> dict:
    """``{"gpuflow/peer": peer_time / gpuflow_time}`` (above 1: gpuflow is faster)."""
    ours = results["gpuflow"][stat]
    return {f"gpuflow/{name}": r[stat] / ours for name, r in results.items() if name != "gpuflow"}


def run(device: str, dtype: str, settings: dict, log=print) -> list:
    """All model measurements for one device and dtype; a list of records."""
    records = []
    limit = 64 if settings["quick"] else None
    rounds, warmup = settings["rounds"], settings["warmup"]
    settle = settings["settle_s"] if device == "cpu" else 0.0  # spinning threads are a CPU matter
    steps = {
        "rounds": rounds,
        "block": settings["block"],
        "settle_s": settle,
        "warmup": warmup,
        "budget_s": settings["budget_s"],
    }
    for model in MODELS:
        setup = Setup(model, device, dtype, limit)
        n = len(setup.x)
        base = {"model": model, "device": device, "dtype": dtype, "skipped_peers": setup.skipped}
        for batch in BATCH_SIZES:
            fns, syncs = setup.train_step_fns(batch)
            res = interleaved(fns, syncs, **steps)
            records.append(_record(base, "train_step", batch, res, samples=batch))
            log(_line(records[-1]))
            fns, syncs, timers = setup.epoch_fns(batch)
            res = interleaved(
                fns,
                syncs,
                warmup=1,
                rounds=rounds,
                budget_s=settings["budget_s"] * 3,
                timers=timers,
                settle_s=settle,
            )
            records.append(_record(base, "epoch", batch, res, samples=n))
            log(_line(records[-1]))
        for batch in INFERENCE_BATCHES:
            fns, syncs = setup.inference_fns(batch)
            res = interleaved(fns, syncs, **steps)
            records.append(_record(base, "inference", batch, res, samples=batch))
            log(_line(records[-1]))
    return records


def _record(base: dict, measure: str, batch: int, results: dict, samples: int) -> dict:
    return {
        **base,
        "measure": measure,
        "batch_size": batch,
        "samples": samples,
        "results": results,
        "samples_per_s": {k: samples / r["median_s"] for k, r in results.items()},
        "ratios": speed_ratios(results),
        "ratios_of_min": speed_ratios(results, "min_s"),
    }


def _line(rec: dict) -> str:
    sps = ", ".join(f"{k} {v:,.0f}/s" for k, v in rec["samples_per_s"].items())
    ratios = ", ".join(f"{k} {v:.2f}x" for k, v in rec["ratios"].items())
    return (
        f"  {rec['model']} {rec['measure']} batch {rec['batch_size']} "
        f"{rec['device']} {rec['dtype']}: "
        f"{sps}" + (f" ({ratios})" if ratios else "")
    )
