"""TensorFlow's full device names for dtensor meshes (``CPU:0`` ->
``/job:localhost/replica:0/task:0/device:CPU:0``)."""

from __future__ import annotations

import re

_TYPE_INDEX = re.compile(r"^([A-Za-z_]+):(\d+)$")


def full_device_name(device) -> str:
    """The full name of ``device`` (a ``tf.DeviceSpec`` or a string such as ``"CPU:1"``)."""
    if not isinstance(device, str):
        device = device.to_string()
    job, replica, task, kind, index = "localhost", "0", "0", None, None
    for part in device.strip("/").split("/"):
        key, _, value = part.partition(":")
        if key == "job":
            job = value
        elif key == "replica":
            replica = value
        elif key == "task":
            task = value
        else:
            match = _TYPE_INDEX.match(value if key == "device" else part)
            if match is None:
                raise ValueError(
                    f"dtensor: cannot parse device {device!r}; expected e.g. 'CPU:0' or "
                    "'/job:localhost/replica:0/task:0/device:CPU:0'"
                )
            kind, index = match.group(1).upper(), match.group(2)
    if kind is None:
        raise ValueError(f"dtensor: device {device!r} names no device type and index")
    return f"/job:{job}/replica:{replica}/task:{task}/device:{kind}:{index}"


def short_device_name(full: str) -> str:
    """``CPU:0`` of ``/job:localhost/replica:0/task:0/device:CPU:0`` (TF's DTensor print)."""
    return full.rsplit("/device:", 1)[-1]
