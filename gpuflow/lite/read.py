"""Parse a TensorFlow Lite flatbuffer into :class:`~gpuflow.lite.model.ModelDef`.

Tables are read by their vtable slots (the field numbers in :mod:`gpuflow.lite.schema`) with
the ``flatbuffers`` runtime's ``Table``; vectors of scalars come back as NumPy arrays."""

from __future__ import annotations

import numpy as np
from flatbuffers import number_types as N
from flatbuffers.table import Table

from . import schema
from .model import ModelDef, OperatorDef, SignatureDef, SubgraphDef, TensorDef

_SCALARS = {
    "i8": N.Int8Flags,
    "u8": N.Uint8Flags,
    "i32": N.Int32Flags,
    "u32": N.Uint32Flags,
    "u64": N.Uint64Flags,
    "bool": N.BoolFlags,
    "f32": N.Float32Flags,
}
_VECTORS = {"i32": N.Int32Flags, "u8": N.Uint8Flags, "f32": N.Float32Flags, "i64": N.Int64Flags}


class _Reader:
    """One flatbuffer table: its fields by slot number."""

    def __init__(self, buf, pos: int) -> None:
        self.buf, self.t = buf, Table(buf, pos)

    def _offset(self, slot: int) -> int:
        return self.t.Offset(4 + 2 * slot)

    def scalar(self, slot: int, kind: str, default=0):
        o = self._offset(slot)
        return self.t.Get(_SCALARS[kind], o + self.t.Pos) if o else default

    def string(self, slot: int, default: str = "") -> str:
        o = self._offset(slot)
        return self.t.String(o + self.t.Pos).decode("utf-8") if o else default

    def vector(self, slot: int, kind: str):
        o = self._offset(slot)
        return self.t.GetVectorAsNumpy(_VECTORS[kind], o) if o else None

    def tables(self, slot: int) -> list:
        o = self._offset(slot)
        if not o:
            return []
        start = self.t.Vector(o)
        count = self.t.VectorLen(o)
        return [_Reader(self.buf, self.t.Indirect(start + 4 * i)) for i in range(count)]

    def table(self, slot: int):
        o = self._offset(slot)
        return _Reader(self.buf, self.t.Indirect(o + self.t.Pos)) if o else None


def _ints(reader: _Reader, slot: int) -> list:
    values = reader.vector(slot, "i32")
    return [] if values is None else [int(v) for v in values]


def _options(op: str, op_reader: _Reader) -> dict:
    spec = schema.OPTIONS.get(op)
    if spec is None:
        return {}
    table = op_reader.table(schema.OPERATOR["builtin_options"])
    options = {}
    for name, slot, kind, default in spec[1]:
        if kind == "[i32]":
            options[name] = (
                None
                if table is None
                else (None if table.vector(slot, "i32") is None else _ints(table, slot))
            )
        else:
            value = default if table is None else table.scalar(slot, kind, default)
            options[name] = bool(value) if kind == "bool" else value
    return options


def _buffer_bytes(raw: bytes, buffer: _Reader):
    offset = buffer.scalar(schema.BUFFER["offset"], "u64", 0)
    if offset > 1:  # data stored after the flatbuffer (models over 2 GB)
        size = buffer.scalar(schema.BUFFER["size"], "u64", 0)
        return np.frombuffer(raw, np.uint8, size, offset)
    return buffer.vector(schema.BUFFER["data"], "u8")


def _tensor(raw, reader: _Reader, buffers: list) -> TensorDef:
    f = schema.TENSOR
    code = reader.scalar(f["type"], "i8", 0)
    dtype = schema.TENSOR_TYPES.get(code)
    shape = tuple(_ints(reader, f["shape"]))
    signature = reader.vector(f["shape_signature"], "i32")
    data = None
    index = reader.scalar(f["buffer"], "u32", 0)
    if 0 < index < len(buffers):
        content = _buffer_bytes(raw, buffers[index])
        if content is not None and len(content) and dtype is not None:
            data = np.frombuffer(content.tobytes(), dtype).reshape(shape)
    quant = {}
    q = reader.table(f["quantization"])
    if q is not None:
        scale = q.vector(schema.QUANTIZATION["scale"], "f32")
        zero = q.vector(schema.QUANTIZATION["zero_point"], "i64")
        quant = {
            "scales": np.array([] if scale is None else scale, np.float32),
            "zero_points": np.array([] if zero is None else zero, np.int32),
            "quantized_dimension": q.scalar(schema.QUANTIZATION["quantized_dimension"], "i32"),
        }
    return TensorDef(
        name=reader.string(f["name"]),
        dtype=dtype,
        type_code=code,
        shape=shape,
        shape_signature=None if signature is None else tuple(int(v) for v in signature),
        data=data,
        quantization=quant,
    )


def _op_names(model: _Reader) -> list:
    names = []
    for code in model.tables(schema.MODEL["operator_codes"]):
        f = schema.OPERATOR_CODE
        value = max(
            code.scalar(f["builtin_code"], "i32", 0),
            code.scalar(f["deprecated_builtin_code"], "i8", 0),
        )
        name = schema.op_name(value)
        if name == "CUSTOM":
            name = "CUSTOM:" + code.string(f["custom_code"])
        names.append(name)
    return names


def read_model(raw: bytes) -> ModelDef:
    """The :class:`ModelDef` of the TFLite flatbuffer ``raw``."""
    raw = bytes(raw)
    if len(raw) < 8 or raw[4:8] != schema.FILE_IDENTIFIER:
        raise ValueError(
            "Model provided has model identifier "
            f"{raw[4:8]!r}, should be {schema.FILE_IDENTIFIER!r}: not a TensorFlow Lite model"
        )
    buf = bytearray(raw)
    root = _Reader(buf, int.from_bytes(raw[:4], "little"))
    version = root.scalar(schema.MODEL["version"], "u32", 0)
    if version != schema.SCHEMA_VERSION:
        raise ValueError(
            f"Model provided is schema version {version}, not equal to supported "
            f"version {schema.SCHEMA_VERSION}."
        )
    names = _op_names(root)
    buffers = root.tables(schema.MODEL["buffers"])
    subgraphs = []
    for sg in root.tables(schema.MODEL["subgraphs"]):
        f = schema.SUBGRAPH
        operators = []
        for op in sg.tables(f["operators"]):
            o = schema.OPERATOR
            name = names[op.scalar(o["opcode_index"], "u32", 0)]
            inputs, outputs = _ints(op, o["inputs"]), _ints(op, o["outputs"])
            operators.append(OperatorDef(name, inputs, outputs, _options(name, op)))
        subgraphs.append(
            SubgraphDef(
                name=sg.string(f["name"]),
                tensors=[_tensor(raw, t, buffers) for t in sg.tables(f["tensors"])],
                operators=operators,
                inputs=_ints(sg, f["inputs"]),
                outputs=_ints(sg, f["outputs"]),
            )
        )
    signatures = []
    for sig in root.tables(schema.MODEL["signature_defs"]):
        f, m = schema.SIGNATURE_DEF, schema.TENSOR_MAP

        def maps(slot, sig=sig, m=m):
            pairs = sig.tables(slot)
            return {t.string(m["name"]): t.scalar(m["tensor_index"], "u32", 0) for t in pairs}

        signatures.append(
            SignatureDef(
                key=sig.string(f["signature_key"]),
                inputs=maps(f["inputs"]),
                outputs=maps(f["outputs"]),
                subgraph_index=sig.scalar(f["subgraph_index"], "u32", 0),
            )
        )
    return ModelDef(subgraphs, signatures, root.string(schema.MODEL["description"]))
