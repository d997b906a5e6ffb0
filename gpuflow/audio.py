"""``tf.audio``: ``decode_wav`` / ``encode_wav`` for 16-bit PCM WAV files (as TensorFlow,
which reads and writes only that format), through the standard library's ``wave``."""

from __future__ import annotations

import io
import wave

import numpy as np

from ._tracing import host_call
from .errors import InvalidArgumentError
from .io.files import as_bytes, contents_tensor
from .ops._common import as_tensor
from .ops.creation import constant
from .tensor import Tensor


def _silence(args, kwargs):
    """What ``decode_wav`` gives while a function is traced without running (its contents
    are then a placeholder, not a file): zeros of the asked-for shape (1 where unknown)."""
    bound = dict(zip(("contents", "desired_channels", "desired_samples"), args), **kwargs)
    channels = int(bound.get("desired_channels", -1))
    samples = int(bound.get("desired_samples", -1))
    audio = np.zeros((samples if samples >= 0 else 1, channels if channels > 0 else 1), np.float32)
    return constant(audio), constant(np.int32(0))


# Inside gpuflow.function: one host step that decodes each call's contents.
@host_call(effect=True, dry_result=_silence, droppable=True)
def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """``(audio, sample_rate)`` of a 16-bit PCM WAV file: float32 ``[samples, channels]``
    in [-1.0, 1.0) and an int32 scalar.

    ``desired_channels`` keeps the first channels, or repeats a mono one; ``desired_samples``
    cuts or pads with zeros; -1 keeps the file's.

    Raises:
        InvalidArgumentError: for contents that are not a 16-bit PCM WAV file.
    """
    data = as_bytes(contents, "decode_wav")
    try:
        with wave.open(io.BytesIO(data), "rb") as f:
            width, channels, rate = f.getsampwidth(), f.getnchannels(), f.getframerate()
            frames = f.readframes(f.getnframes())
    except (wave.Error, EOFError) as exc:
        detail = str(exc) or "the file ends early"
        raise InvalidArgumentError(
            None,
            "decode_wav",
            f"decode_wav: expected a 16-bit PCM WAV file, received {data[:12]!r}... ({detail})",
        ) from None
    if width != 2:
        raise InvalidArgumentError(
            None,
            "decode_wav",
            f"decode_wav: only 16-bit PCM is supported, received {8 * width}-bit",
        )
    samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels)
    audio = samples.astype(np.float32) / 32768.0
    want = int(desired_channels)
    if want > 0 and want != channels:
        if channels == 1:
            audio = np.repeat(audio, want, axis=1)
        elif want < channels:
            audio = audio[:, :want]
        else:
            raise InvalidArgumentError(
                None,
                "decode_wav",
                f"decode_wav: cannot make {want} channels out of {channels} (only mono repeats)",
            )
    length = int(desired_samples)
    if length >= 0:
        audio = audio[:length]
        if len(audio) < length:
            audio = np.concatenate(
                [audio, np.zeros((length - len(audio), audio.shape[1]), np.float32)]
            )
    return constant(np.ascontiguousarray(audio)), constant(np.int32(rate))


def encode_wav(audio, sample_rate, name=None) -> Tensor:
    """The 16-bit PCM WAV file (a scalar string tensor) of float ``audio``
    ``[samples, channels]`` in [-1.0, 1.0] (values beyond are clipped)."""
    x = as_tensor(audio)
    if x.ndim != 2:
        raise InvalidArgumentError(
            None,
            "encode_wav",
            f"encode_wav: audio must be [samples, channels], received shape {tuple(x.shape)}",
        )
    if x.dtype.kind != "f":
        raise InvalidArgumentError(
            None, "encode_wav", f"encode_wav: audio must be float32, received dtype {x.dtype.name}"
        )
    rate = int(np.asarray(sample_rate.numpy() if isinstance(sample_rate, Tensor) else sample_rate))
    pcm = np.clip(np.rint(x.numpy().astype(np.float64) * 32768.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(pcm.shape[1])
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm.tobytes())
    return contents_tensor(buffer.getvalue())
