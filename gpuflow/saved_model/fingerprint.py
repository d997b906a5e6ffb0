"""``tf.saved_model.experimental.Fingerprint`` / ``read_fingerprint``: the hashes a
SavedModel's ``fingerprint.pb`` holds.

``save`` writes ``fingerprint.pb`` as TensorFlow's FingerprintDef message (uint64 fields 1-5,
a VersionDef in field 6), so ``read_fingerprint`` reads TensorFlow's files and gpuflow's
alike. gpuflow's hashes are its own (64 bits of BLAKE2b) over the parts of its layout that
TensorFlow's fingerprint covers: the traced programs (``graph_def_program_hash``), the
signatures, the object graph, the variables' values (``checkpoint_hash``), and the files
(``saved_model_checksum``, which also changes with the save's timestamps, as TensorFlow's).
``singleprint()`` joins the four stable ones: saving the same model twice gives the same one.
"""

from __future__ import annotations

import hashlib
import os

FILENAME = "fingerprint.pb"
# FingerprintDef.version.producer of TensorFlow 2.21's SavedModels
PRODUCER = 4
_FIELDS = (
    "saved_model_checksum",
    "graph_def_program_hash",
    "signature_def_hash",
    "saved_object_graph_hash",
    "checkpoint_hash",
)


class VersionDef:
    """The fingerprint's ``version`` (TensorFlow's VersionDef message)."""

    def __init__(self, producer=0, min_consumer=0, bad_consumers=()) -> None:
        self.producer = int(producer)
        self.min_consumer = int(min_consumer)
        self.bad_consumers = list(bad_consumers)

    def __eq__(self, other) -> bool:
        return isinstance(other, VersionDef) and vars(self) == vars(other)

    def __str__(self) -> str:  # the protobuf text format
        lines = [f"producer: {self.producer}"] if self.producer else []
        lines += [f"min_consumer: {self.min_consumer}"] if self.min_consumer else []
        lines += [f"bad_consumers: {c}" for c in self.bad_consumers]
        return "".join(line + "\n" for line in lines)

    __repr__ = __str__


class Fingerprint:
    """The SavedModel fingerprint: one attribute per field of TensorFlow's FingerprintDef
    (uint64 hashes, ``version`` a VersionDef)."""

    def __init__(
        self,
        saved_model_checksum=None,
        graph_def_program_hash=None,
        signature_def_hash=None,
        saved_object_graph_hash=None,
        checkpoint_hash=None,
        version=None,
    ) -> None:
        self.saved_model_checksum = saved_model_checksum
        self.graph_def_program_hash = graph_def_program_hash
        self.signature_def_hash = signature_def_hash
        self.saved_object_graph_hash = saved_object_graph_hash
        self.checkpoint_hash = checkpoint_hash
        self.version = version

    @classmethod
    def from_proto(cls, proto) -> "Fingerprint":
        """From a serialized FingerprintDef (bytes) or an object with its fields."""
        if isinstance(proto, (bytes, bytearray)):
            return _decode(bytes(proto))
        try:
            values = [getattr(proto, f) for f in _FIELDS]
            return cls(*values, proto.version)
        except AttributeError as e:
            raise ValueError(f"Given proto could not be deserialized as fingerprint.{e}") from None

    def __eq__(self, other) -> bool:
        if not isinstance(other, Fingerprint):
            return False
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    def __str__(self) -> str:
        lines = [f"  {f}: {getattr(self, f)}" for f in _FIELDS]
        return "\n".join(["SavedModel Fingerprint", *lines])

    def __repr__(self) -> str:
        return f"Fingerprint({', '.join(str(getattr(self, f)) for f in _FIELDS)})"

    def singleprint(self) -> str:
        """``graph_def_program_hash/signature_def_hash/saved_object_graph_hash/
        checkpoint_hash``: the model's identity (``saved_model_checksum`` left out)."""
        parts = [getattr(self, f) for f in _FIELDS[1:]]
        if not all(isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in parts):
            raise ValueError(
                "Encounted invalid fingerprint values when constructing singleprint."
                + "".join(f"{f}: {getattr(self, f)}" for f in _FIELDS[1:])
            )
        return "/".join(str(p) for p in parts)


def read_fingerprint(export_dir) -> Fingerprint:
    """The fingerprint of the SavedModel in ``export_dir`` (its ``fingerprint.pb``).

    Raises:
        FileNotFoundError: the directory has no fingerprint.
    """
    export_dir = os.fspath(export_dir)
    path = os.path.join(export_dir, FILENAME)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"SavedModel Fingerprint Error: Could not find fingerprint in directory: "
            f"{export_dir}\nNOT_FOUND: {path} not found"
        )
    with open(path, "rb") as f:
        data = f.read()
    try:
        return _decode(data)
    except (IndexError, ValueError) as e:
        raise RuntimeError(f"SavedModel Fingerprint Error: {path} is not a fingerprint ({e})")


def hash64(*parts: bytes) -> int:
    """64 bits of BLAKE2b over ``parts`` (each length-prefixed)."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return int.from_bytes(h.digest(), "little")


def write(export_dir, fingerprint: Fingerprint) -> None:
    with open(os.path.join(os.fspath(export_dir), FILENAME), "wb") as f:
        f.write(_encode(fingerprint))


# -- the FingerprintDef wire format --------------------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _encode(fp: Fingerprint) -> bytes:
    out = bytearray()
    for number, field in enumerate(_FIELDS, 1):
        value = getattr(fp, field)
        if value:
            out += _varint(number << 3) + _varint(int(value))
    version = fp.version
    if version is not None:
        body = _varint(1 << 3) + _varint(version.producer) if version.producer else b""
        out += _varint((6 << 3) | 2) + _varint(len(body)) + body
    return bytes(out)


def _read_varint(data: bytes, i: int):
    shift = value = 0
    while True:
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        if not byte & 0x80:
            return value, i
        shift += 7


def _fields(data: bytes):
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, i = _read_varint(data, i)
        elif kind == 2:
            n, i = _read_varint(data, i)
            value, i = data[i : i + n], i + n
        else:
            raise ValueError(f"wire type {kind} of field {number}")
        yield number, value


def _decode(data: bytes) -> Fingerprint:
    values = dict.fromkeys(_FIELDS, 0)
    version = VersionDef()
    for number, value in _fields(data):
        if 1 <= number <= 5:
            values[_FIELDS[number - 1]] = value
        elif number == 6:
            for n, v in _fields(value):
                if n == 1:
                    version.producer = v
                elif n == 2:
                    version.min_consumer = v
                elif n == 3:
                    version.bad_consumers.append(v)
    return Fingerprint(*(values[f] for f in _FIELDS), version)
