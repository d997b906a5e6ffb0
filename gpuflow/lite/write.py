"""Write a :class:`~gpuflow.lite.model.ModelDef` as a TensorFlow Lite flatbuffer (schema
version 3, file identifier ``TFL3``) with the ``flatbuffers`` runtime's Builder. Buffer 0 is
the empty sentinel; each constant tensor gets its own 16-byte-aligned buffer."""

from __future__ import annotations

import flatbuffers
import numpy as np

from . import schema

_PLACEHOLDER_FOR_GREATER_OP_CODES = 127  # deprecated_builtin_code of ops numbered above 127


def _ints(b, values) -> int:
    values = [int(v) for v in values]
    b.StartVector(4, len(values), 4)
    for v in reversed(values):
        b.PrependInt32(v)
    return b.EndVector()


def _offsets(b, offsets) -> int:
    b.StartVector(4, len(offsets), 4)
    for o in reversed(offsets):
        b.PrependUOffsetTRelative(o)
    return b.EndVector()


def _bytes(b, data: bytes) -> int:
    b.StartVector(1, len(data), 16)
    b.head = b.head - len(data)
    b.Bytes[b.head : b.head + len(data)] = data
    b.vectorNumElems = len(data)
    return b.EndVector()


def _table(b, fields: int, slots: list) -> int:
    """A table of ``fields`` slots; ``slots``: (slot, kind, value, default); kind "o" is an
    offset made beforehand."""
    b.StartObject(fields)
    prepend = {"i8": b.PrependInt8Slot, "u8": b.PrependUint8Slot, "i32": b.PrependInt32Slot,
               "u32": b.PrependUint32Slot, "bool": b.PrependBoolSlot,
               "f32": b.PrependFloat32Slot, "o": b.PrependUOffsetTRelativeSlot}  # fmt: skip
    for slot, kind, value, default in slots:
        prepend[kind](slot, value, default)
    return b.EndObject()


def _options(b, op) -> tuple:
    spec = schema.OPTIONS.get(op.op)
    if spec is None:
        return 0, None
    union, fields = spec
    slots = []
    for name, slot, kind, default in fields:
        value = op.options.get(name, default)
        if kind == "[i32]":
            if value is not None:
                slots.append((slot, "o", _ints(b, value), 0))
        else:
            slots.append((slot, kind, value, default))
    count = max((f[1] for f in fields), default=-1) + 1
    return union, _table(b, count, slots)


def _tensor(b, t, buffer: int) -> int:
    f = schema.TENSOR
    name = b.CreateString(t.name)
    shape = _ints(b, t.shape)
    slots = [(f["shape"], "o", shape, 0), (f["name"], "o", name, 0)]
    if t.shape_signature is not None and tuple(t.shape_signature) != tuple(t.shape):
        slots.append((f["shape_signature"], "o", _ints(b, t.shape_signature), 0))
    slots += [(f["type"], "i8", t.type_code, 0), (f["buffer"], "u32", buffer, 0)]
    return _table(b, 8, slots)


def _op_codes(model) -> list:
    names = []
    for sub in model.subgraphs:
        for op in sub.operators:
            if op.op not in names:
                names.append(op.op)
    return names


def write_model(model) -> bytes:
    """The TFLite flatbuffer of ``model`` (a :class:`ModelDef`)."""
    b = flatbuffers.Builder(1024)
    buffers = [_table(b, 3, [])]
    codes = _op_codes(model)
    subgraphs = []
    for sub in model.subgraphs:
        tensors = []
        for t in sub.tensors:
            index = 0
            if t.data is not None:
                data = np.ascontiguousarray(t.data, dtype=t.dtype).astype(t.dtype.newbyteorder("<"))
                buffers.append(_table(b, 3, [(0, "o", _bytes(b, data.tobytes()), 0)]))
                index = len(buffers) - 1
            tensors.append(_tensor(b, t, index))
        operators = []
        f = schema.OPERATOR
        for op in sub.operators:
            union, options = _options(b, op)
            slots = [
                (f["opcode_index"], "u32", codes.index(op.op), 0),
                (f["inputs"], "o", _ints(b, op.inputs), 0),
                (f["outputs"], "o", _ints(b, op.outputs), 0),
            ]
            if options is not None:
                slots += [(f["builtin_options_type"], "u8", union, 0),
                          (f["builtin_options"], "o", options, 0)]  # fmt: skip
            operators.append(_table(b, 5, slots))
        s = schema.SUBGRAPH
        subgraphs.append(_table(b, 5, [
            (s["tensors"], "o", _offsets(b, tensors), 0),
            (s["inputs"], "o", _ints(b, sub.inputs), 0),
            (s["outputs"], "o", _ints(b, sub.outputs), 0),
            (s["operators"], "o", _offsets(b, operators), 0),
            (s["name"], "o", b.CreateString(sub.name), 0),
        ]))  # fmt: skip
    op_codes = []
    for name in codes:
        code = schema.OP_CODES[name]
        f = schema.OPERATOR_CODE
        op_codes.append(_table(b, 4, [
            (f["deprecated_builtin_code"], "i8", min(code, _PLACEHOLDER_FOR_GREATER_OP_CODES), 0),
            (f["builtin_code"], "i32", code, 0),
            (f["version"], "i32", 1, 0),
        ]))  # fmt: skip
    signatures = []
    for sig in model.signatures:
        maps = []
        for pairs in (sig.inputs, sig.outputs):
            entries = []
            for key, index in pairs.items():
                name = b.CreateString(key)
                entries.append(_table(b, 2, [(0, "o", name, 0), (1, "u32", index, 0)]))
            maps.append(_offsets(b, entries))
        f = schema.SIGNATURE_DEF
        signatures.append(_table(b, 5, [
            (f["inputs"], "o", maps[0], 0),
            (f["outputs"], "o", maps[1], 0),
            (f["signature_key"], "o", b.CreateString(sig.key), 0),
            (f["subgraph_index"], "u32", sig.subgraph_index, 0),
        ]))  # fmt: skip
    m = schema.MODEL
    root = _table(b, 8, [
        (m["version"], "u32", schema.SCHEMA_VERSION, 0),
        (m["operator_codes"], "o", _offsets(b, op_codes), 0),
        (m["subgraphs"], "o", _offsets(b, subgraphs), 0),
        (m["description"], "o", b.CreateString(model.description), 0),
        (m["buffers"], "o", _offsets(b, buffers), 0),
        (m["signature_defs"], "o", _offsets(b, signatures), 0),
    ])  # fmt: skip
    b.Finish(root, file_identifier=schema.FILE_IDENTIFIER)
    return bytes(b.Output())
