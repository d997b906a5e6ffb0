"""``gpuflow train``: train the lecture MLP or CNN on digits or MNIST and write a run folder.

The run folder holds ``model.gpuflow`` (``model.save``), ``history.csv`` (one row
per epoch), ``history.png`` (loss and accuracy curves; needs matplotlib, the
``plot`` extra), ``logs/`` (TensorBoard; needs the ``tensorboard`` extra) and
``summary.json`` (the settings and the results).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import time
from pathlib import Path

import numpy as np

MODELS = ("mlp", "cnn")
DTYPES = ("float16", "mixed_float16", "float32", "float64")
DEVICES = ("auto", "cpu", "cuda", "cuda:N", "cuda-emu")
OPTIMIZERS = {  # name -> (gpuflow.optimizers class, default learning rate, extra arguments)
    "adam": ("Adam", 1e-3, {}),
    "sgd": ("SGD", 0.05, {"momentum": 0.9}),
    "rmsprop": ("RMSprop", 1e-3, {}),
}

DEFAULT_MODEL = "cnn"
DEFAULT_DATA = "digits"
DEFAULT_EPOCHS = {"digits": 20, "mnist": 5}
DEFAULT_BATCH_SIZE = 32
DEFAULT_OPTIMIZER = "adam"
DEFAULT_SEED = 0
DIGITS_SIZE = 28  # the embedded 8x8 digits are upsampled to MNIST's 28x28


# -- argument types ----------------------------------------------------------------
def _number(convert, accept, expected: str):
    """An argparse type: ``convert(text)``, refused with one line unless ``accept(value)``."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, received {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda v: v >= 1, "a positive integer")
_positive_float = _number(float, lambda v: v > 0 and np.isfinite(v), "a positive number")
_seed = _number(int, lambda v: v >= 0, "a non-negative integer")


def _device(text: str) -> str:
    name = text.strip().lower()
    if name in ("auto", "cpu", "cuda", "cuda-emu") or (
        name.startswith("cuda:") and name[5:].isdigit()
    ):
        return name
    raise argparse.ArgumentTypeError(f"expected one of {', '.join(DEVICES)}, received {text!r}")


def _data(text: str) -> tuple[str, str | None]:
    """``digits`` | ``mnist`` | ``mnist:PATH`` -> (name, path or None)."""
    name, sep, path = text.partition(":")
    if name == "digits" and not sep:
        return "digits", None
    if name == "mnist":
        if sep and not path:
            raise argparse.ArgumentTypeError(
                "expected mnist:PATH with a folder or .npz file after the colon, received 'mnist:'"
            )
        return "mnist", path or None
    raise argparse.ArgumentTypeError(f"expected digits, mnist or mnist:PATH, received {text!r}")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows ``(default: ...)`` only where there is a default value to show."""

    def _get_help_string(self, action):
        if (
            action.default is None
            or action.default is argparse.SUPPRESS
            or isinstance(action.default, bool)
        ):
            return action.help
        return super()._get_help_string(action)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Registers ``gpuflow train`` on ``subparsers``; returns its parser."""
    p = subparsers.add_parser(
        "train",
        help="train the lecture MLP or CNN and write a run folder",
        description="Train the lecture MLP or CNN, print the test loss and accuracy, "
        "and write a run folder (model.gpuflow, history.csv, history.png, logs/, summary.json).",
        formatter_class=_HelpFormatter,
    )
    p.add_argument(
        "--model",
        choices=MODELS,
        default=DEFAULT_MODEL,
        help="mlp: 784-512-10 dense; cnn: two 3x3 stride-2 convolutions (16 filters), dense 64, 10",
    )
    p.add_argument(
        "--data",
        type=_data,
        default=DEFAULT_DATA,
        metavar="digits|mnist[:PATH]",
        help="digits: the embedded UCI digits upsampled to 28x28; mnist: MNIST from $GPUFLOW_DATA "
        "(downloaded once when absent); mnist:PATH: a folder with mnist.npz or the four IDX "
        "files, or an .npz file (never downloads)",
    )
    p.add_argument(
        "--device",
        type=_device,
        default="auto",
        metavar="|".join(DEVICES),
        help="auto: cuda when CuPy and a GPU answer, else cpu; cuda-emu runs the CUDA kernels on "
        "the CPU for checking them and is very slow (minutes per epoch)",
    )
    p.add_argument(
        "--dtype",
        choices=DTYPES,
        default="float32",
        help="float type of weights and compute; float16: weights too (optimizer state stays "
        "float32); mixed_float16: float16 compute, float32 weights, loss scaling",
    )
    p.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"passes over the training data (default: {DEFAULT_EPOCHS['digits']} on digits, "
        f"{DEFAULT_EPOCHS['mnist']} on mnist)",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help="samples per gradient step",
    )
    p.add_argument(
        "--optimizer",
        choices=sorted(OPTIMIZERS),
        default=DEFAULT_OPTIMIZER,
        help="sgd uses momentum 0.9",
    )
    p.add_argument(
        "--learning-rate",
        type=_positive_float,
        default=None,
        metavar="X",
        help="default: " + ", ".join(f"{k} {v[1]:g}" for k, v in OPTIMIZERS.items()),
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="train data-parallel on N MPI processes (needs gpuflow[mpi]); the "
        "batch size is the global batch",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        metavar="N",
        help="seed of weights and shuffling",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="run folder (default: runs/<timestamp>-<model>-<data>)",
    )
    return p


# -- the steps ---------------------------------------------------------------------
def check_data_path(data: tuple[str, str | None]) -> None:
    """Raises FileNotFoundError, before anything slow, when ``mnist:PATH`` names nothing."""
    name, path = data
    if path is not None and not os.path.exists(path):
        raise FileNotFoundError(
            f"--data {name}:{path}: expected a folder with mnist.npz or the four MNIST IDX "
            f"files (or an .npz file), but {path} does not exist"
        )


def load_data(data: tuple[str, str | None]):
    """The ``((x_train, y_train), (x_test, y_test))`` uint8 arrays for ``--data``."""
    from ..datasets import digits, mnist

    check_data_path(data)
    name, path = data
    if name == "digits":
        return digits.load_data(image_size=DIGITS_SIZE)
    if path is None:
        return mnist.load_data()
    return mnist.load_data(path, download=False)


def prepare(x: np.ndarray, model: str, dtype: str) -> np.ndarray:
    """Scales uint8 pixels to 0..1 in ``dtype``: flat for the MLP, with a channel axis for CNNs."""
    x = x.astype(dtype) / np.asarray(255, dtype)
    return x.reshape(len(x), -1) if model == "mlp" else x.reshape(*x.shape, 1)


def build_model(name: str, input_shape: tuple[int, ...]):
    """The lecture MLP or CNN (``gpuflow.models.lecture``) for inputs of ``input_shape``."""
    from ..models.lecture import lecture_model

    return lecture_model(name, input_shape)


def make_optimizer(name: str, learning_rate: float | None):
    """A fresh optimizer ``name`` with ``learning_rate`` (None: the default for that optimizer)."""
    from .. import optimizers

    class_name, default_lr, extra = OPTIMIZERS[name]
    return getattr(optimizers, class_name)(learning_rate=learning_rate or default_lr, **extra)


def run_folder(out: Path | None, model: str, data: str) -> Path:
    """Creates the run folder (``out``, or ``runs/<timestamp>-<model>-<data>`` unused so far)."""
    if out is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = Path("runs") / f"{stamp}-{model}-{data}"
        out, n = base, 1
        while out.exists():
            n += 1
            out = base.with_name(f"{base.name}-{n}")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {out}: expected a folder, but a file of that name exists")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _epoch_timer():
    from ..callbacks import Callback

    class EpochTimer(Callback):
        """Wall-clock seconds of each epoch (training and validation)."""

        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []
            self._start = 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self._start)

    return EpochTimer()


def _tensorboard(log_dir: Path):
    """A TensorBoard callback writing to ``log_dir``, or (None, why not)."""
    try:
        from ..callbacks import TensorBoard

        return TensorBoard(log_dir=str(log_dir)), None
    except ImportError as exc:
        return None, f"{exc} (pip install 'gpuflow[tensorboard]')"


def _note(text: str) -> None:
    print(f"note: {text}")


@contextlib.contextmanager
def _settings(device: str, dtype: str, seed: int):
    """Sets the default device, float type / policy and seed; restores the first two after."""
    import gpuflow

    floatx, default_device = gpuflow.config.floatx(), gpuflow.config.default_device()
    try:
        if dtype != "mixed_float16":
            gpuflow.config.set_floatx(dtype)
        gpuflow.config.set_default_device(device)
        gpuflow.random.set_seed(seed)
        with gpuflow.mixed_precision.policy_scope(dtype), gpuflow.device(device):
            yield
    finally:
        gpuflow.config.set_floatx(floatx)
        gpuflow.config.set_default_device(default_device)


def run(args: argparse.Namespace) -> int:
    """Runs ``gpuflow train`` with parsed ``args``; returns the exit status."""
    from ..backend import get_device
    from ..distribute import launch

    check_data_path(args.data)
    if args.workers > 1 and not launch.launched_by_mpi():
        return launch.relaunch(args.workers, sys.argv[1:])  # rank 0 prints, others are quiet
    device = get_device(args.device)  # raises DeviceUnavailableError with the reason
    data = load_data(args.data)
    if launch.launched_by_mpi():
        return _train_as_worker(args, device, data)
    out = run_folder(args.out, args.model, args.data[0])
    with _settings(device.name, args.dtype, args.seed):
        return _train(args, device, data, out)


def _train_as_worker(args: argparse.Namespace, device, data) -> int:
    """One MPI worker: rank 0 writes the run folder and prints; the others train in a
    temporary folder (deleted after) with their output silenced, as TF's non-chief
    workers write checkpoints to temporary paths."""
    import tempfile

    import gpuflow

    strategy = gpuflow.distribute.MultiWorkerMirroredStrategy()
    if strategy.cluster_resolver.task_id == 0:
        out = run_folder(args.out, args.model, args.data[0])
        with _settings(device.name, args.dtype, args.seed), strategy.scope():
            return _train(args, device, data, out)
    with (
        tempfile.TemporaryDirectory() as tmp,
        open(os.devnull, "w") as null,
        contextlib.redirect_stdout(null),
    ):
        with _settings(device.name, args.dtype, args.seed), strategy.scope():
            return _train(args, device, data, Path(tmp))


def _train(args: argparse.Namespace, device, data, out: Path) -> int:
    import gpuflow

    from . import report

    data_name, _ = args.data
    epochs = args.epochs or DEFAULT_EPOCHS[data_name]
    lr = args.learning_rate or OPTIMIZERS[args.optimizer][1]
    (x_train, y_train), (x_test, y_test) = data
    compute = "float16" if args.dtype == "mixed_float16" else args.dtype
    x_train, x_test = prepare(x_train, args.model, compute), prepare(x_test, args.model, compute)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)

    print(
        f"gpuflow train: {args.model} on {data_name} ({len(x_train)} train / "
        f"{len(x_test)} test images, {'x'.join(map(str, x_train.shape[1:]))}), "
        f"device {device.name}, {args.dtype}, {epochs} epochs, "
        f"batch size {args.batch_size}, {args.optimizer} (learning rate {lr:g}), seed {args.seed}"
    )
    model = build_model(args.model, x_train.shape[1:])
    model.compile(
        optimizer=make_optimizer(args.optimizer, lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    timer = _epoch_timer()
    callbacks = [timer, gpuflow.callbacks.CSVLogger(str(out / report.HISTORY_CSV))]
    tensorboard, why_not = _tensorboard(out / report.LOGS)
    if tensorboard is not None:
        callbacks.append(tensorboard)
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        batch_size=args.batch_size,
        epochs=epochs,
        verbose=1,
        validation_data=(x_test, y_test),
        callbacks=callbacks,
    )
    train_seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    model.save(str(out / report.MODEL))

    correct = round(test_accuracy * len(x_test))
    print(
        f"test loss {test_loss:.4f} - test accuracy {test_accuracy:.4f} ({correct}/{len(x_test)})"
    )
    print(f"training time {train_seconds:.1f} s ({train_seconds / epochs:.2f} s per epoch)")

    written = [report.MODEL, report.HISTORY_CSV]
    plot_error = report.write_plot(
        history.history, out / report.PLOT, title=f"{args.model} on {data_name}"
    )
    if plot_error:
        _note(f"no {report.PLOT}: {plot_error}")
    else:
        written.append(report.PLOT)
    if tensorboard is None:
        _note(f"no TensorBoard logs: {why_not}")
    else:
        written.append(report.LOGS + "/")
    summary = {
        "model": args.model,
        "data": data_name,
        "data_path": args.data[1],
        "device": device.name,
        "dtype": args.dtype,
        "epochs": epochs,
        "batch_size": args.batch_size,
        "optimizer": args.optimizer,
        "learning_rate": lr,
        "seed": args.seed,
        "train_samples": len(x_train),
        "test_samples": len(x_test),
        "test_loss": float(test_loss),
        "test_accuracy": float(test_accuracy),
        "train_seconds": train_seconds,
        "seconds_per_epoch": [round(t, 4) for t in timer.times],
        "mean_seconds_per_epoch": float(np.mean(timer.times)) if timer.times else None,
        "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
        "gpuflow_version": gpuflow.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
    }
    report.write_summary(summary, out / report.SUMMARY)
    written.append(report.SUMMARY)
    print(f"run folder {out}: {', '.join(written)}")
    return 0
