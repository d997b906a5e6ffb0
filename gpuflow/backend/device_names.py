"""TensorFlow's device spellings, to and from gpuflow's device names, with soft placement.

TensorFlow names a device ``/job:localhost/replica:0/task:0/device:GPU:0`` and accepts
shorter spellings (``/GPU:0``, ``GPU:0``, ``/device:gpu:1``, ``cpu``), case-insensitively.
gpuflow's own names are ``cpu``, ``cuda``, ``cuda:N``, ``cuda-emu`` and ``auto``.

``placement(spec)`` turns either kind into the gpuflow name a ``with gpuflow.device(...)``
scope uses. A TF spelling of a device that is not here (a GPU on a laptop) places on the
CPU with one warning, as TensorFlow's soft placement does; with
``tf.config.set_soft_device_placement(False)`` it is an ``InvalidArgumentError`` naming
the device and listing those present. gpuflow's own ``cuda`` names stay strict: asking
for ``"cuda"`` by gpuflow's name on a machine without one is an error, as before.
"""

from __future__ import annotations

import re
import warnings

from ..config import settings as config
from ..errors import InvalidArgumentError
from .cuda import cuda_status

_PREFIX = "/job:localhost/replica:0/task:0/device:"
_OWN = re.compile(r"^(auto|cpu|cuda|cuda-emu|cuda:\d+)$")
_TYPE_INDEX = re.compile(r"^(cpu|gpu|cuda_emu|xla_cpu|xla_gpu|tpu)(?::(\d+))?$")
_KEYS = {"job", "replica", "task"}
_TF_TYPE = {"cpu": "CPU", "cuda": "GPU", "cuda-emu": "CUDA_EMU"}
_warned: set[str] = set()


class DeviceName(str):
    """TensorFlow's full device string (``tensor.device``), equal to gpuflow's short name too.

    ``t.device == "/job:localhost/replica:0/task:0/device:CPU:0"`` and ``t.device == "cpu"``
    both hold, so code written for either keeps working; the hash is that of the full
    string. ``.short`` is gpuflow's name (``"cpu"``, ``"cuda:0"``, ``"cuda-emu"``).
    """

    short: str

    def __new__(cls, short: str) -> "DeviceName":
        kind, _, index = short.partition(":")
        self = super().__new__(cls, f"{_PREFIX}{_TF_TYPE.get(kind, kind.upper())}:{index or 0}")
        self.short = short
        return self

    def __eq__(self, other) -> bool:
        if isinstance(other, str) and not str.__eq__(self, other):
            return other == self.short or _same_device(other, self.short)
        return str.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


def _same_device(spelling: str, short: str) -> bool:
    try:
        parsed = parse(spelling)
    except ValueError:
        return False
    return parsed == short


def tf_device_name(short: str) -> DeviceName:
    """The full TF device string of gpuflow device ``short`` (cached per name)."""
    return _NAMES.get(short) or _NAMES.setdefault(short, DeviceName(short))


_NAMES: dict[str, DeviceName] = {}


def parse(spec: str) -> "str | None":
    """gpuflow's device name for a TF or gpuflow spelling; ``None`` when it names no device.

    ``"/job:localhost"`` alone names no device type: the scope keeps the current device.

    Raises:
        ValueError: for a spelling that is neither TF's nor gpuflow's.
    """
    text = str(spec).strip().lower()
    if _OWN.match(text):
        return "cuda:0" if text == "cuda" else text
    kind = index = None
    for part in text.strip("/").split("/"):
        if not part:
            continue
        key, _, value = part.partition(":")
        if key in _KEYS:
            if not value:
                raise ValueError(_bad(spec, part))
            continue
        if key == "device":
            part = value
        elif key == "physical_device":
            part = value
        match = _TYPE_INDEX.match(part)
        if match is None or kind is not None:
            raise ValueError(_bad(spec, part))
        kind, index = match.group(1), int(match.group(2) or 0)
    if kind is None:
        return None
    if kind in ("gpu", "xla_gpu"):
        return f"cuda:{index}"
    if kind == "cuda_emu":
        return "cuda-emu"
    if kind in ("cpu", "xla_cpu"):
        return "cpu" if index == 0 else f"cpu:{index}"
    return f"tpu:{index}"


def _bad(spec, part) -> str:
    return (
        f"device {spec!r}: cannot parse {part!r}; expected a TensorFlow name such as "
        f"'/GPU:0', 'CPU:0', '/job:localhost/replica:0/task:0/device:GPU:0', or a gpuflow "
        f"name: 'auto', 'cpu', 'cuda', 'cuda:N', 'cuda-emu'"
    )


def present_devices() -> list[str]:
    """gpuflow names of the devices a TF spelling may place on: ``cpu`` and the visible GPUs."""
    count, _ = cuda_status()
    visible = config.visible_gpus()
    gpus = range(count) if visible is None else [i for i in visible if i < count]
    return ["cpu"] + [f"cuda:{i}" for i in gpus]


def placement(spec):
    """The gpuflow device name for a ``with gpuflow.device(spec)`` scope (see module doc).

    Returns ``spec`` itself for gpuflow's own names and Device objects, ``None`` when the
    spelling names no device type.
    """
    if spec is None or not isinstance(spec, str):
        return spec
    name = parse(spec)
    if name is None or _OWN.match(str(spec).strip().lower()):
        return name
    if name.startswith("cuda:"):
        # TF's GPU:N counts the visible GPUs only: map it to the physical index.
        visible = config.visible_gpus()
        index = int(name[5:])
        if visible is not None and index < len(visible):
            name = f"cuda:{visible[index]}"
        elif visible is not None:
            name = f"cuda:{len(visible) + index}"  # past the visible ones: not present
    present = present_devices()
    if name in present or name == "cuda-emu":
        return name
    if name.startswith("cpu:") and int(name[4:]) < config.logical_cpu_count():
        return "cpu"  # a logical CPU (set_logical_device_configuration): the one CPU device
    full = tf_device_name(name)
    if not config.get_soft_device_placement():
        listed = ", ".join(tf_device_name(d) for d in present)
        raise InvalidArgumentError(
            None,
            "device",
            f"device: cannot place on {spec!r} ({full}): no such device here and soft placement "
            f"is off (tf.config.set_soft_device_placement(False)); devices present: {listed}",
        )
    if name not in _warned:
        _warned.add(name)
        count, reason = cuda_status()
        why = reason if name.startswith("cuda") and count == 0 else "no such device here"
        warnings.warn(
            f"gpuflow: device {spec!r} ({full}) is not available ({why}); placing on "
            f"the CPU (soft device placement, as TensorFlow does)",
            stacklevel=4,
        )
    return "cpu"
