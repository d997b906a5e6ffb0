"""TensorFlow's record protobufs: ``tf.train.Example`` and its parts, and ``TensorProto``.

The message classes are real protobuf messages (the ``protobuf`` package), built at import
from descriptors written out here field by field, with TensorFlow's package name, field
names, numbers, types and ``packed`` options (``tensorflow/core/example/feature.proto``,
``example.proto``, ``tensorflow/core/framework/tensor.proto``, ``tensor_shape.proto``,
``types.proto``). So their wire bytes equal TensorFlow's, ``SerializeToString`` /
``FromString`` / ``ParseFromString`` read and write TensorFlow's records, and ``str()``
prints the same text format. No ``protoc`` step and no generated file is needed.

The descriptors live in a pool of their own, not protobuf's default pool, so that
importing gpuflow next to TensorFlow (whose generated modules register the same names
there) does not clash.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from ._proto_types import DATA_TYPES

_F = descriptor_pb2.FieldDescriptorProto
_OPTIONAL, _REPEATED = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED


def _field(message, name, number, kind, label=_OPTIONAL, type_name=None, packed=False, oneof=None):
    field = message.field.add(name=name, number=number, type=kind, label=label)
    if type_name is not None:
        field.type_name = type_name
    if packed:
        field.options.packed = True
    if oneof is not None:
        field.oneof_index = oneof
    return field


def _map_entry(message, entry_name, value_type):
    entry = message.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)


def _file(name: str, dependencies=()) -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(name=name, package="tensorflow", syntax="proto3")
    proto.dependency.extend(dependencies)
    return proto


def _feature_file():
    f = _file("tensorflow/core/example/feature.proto")
    _field(f.message_type.add(name="BytesList"), "value", 1, _F.TYPE_BYTES, _REPEATED)
    _field(f.message_type.add(name="FloatList"), "value", 1, _F.TYPE_FLOAT, _REPEATED, packed=True)
    _field(f.message_type.add(name="Int64List"), "value", 1, _F.TYPE_INT64, _REPEATED, packed=True)
    feature = f.message_type.add(name="Feature")
    feature.oneof_decl.add(name="kind")
    for number, kind in enumerate(("bytes_list", "float_list", "int64_list"), 1):
        type_name = ".tensorflow." + {"bytes": "BytesList", "float": "FloatList"}.get(
            kind.split("_")[0], "Int64List"
        )
        _field(feature, kind, number, _F.TYPE_MESSAGE, type_name=type_name, oneof=0)
    features = f.message_type.add(name="Features")
    _map_entry(features, "FeatureEntry", ".tensorflow.Feature")
    _field(features, "feature", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.Features.FeatureEntry")
    feature_list = f.message_type.add(name="FeatureList")
    _field(feature_list, "feature", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.Feature")
    lists = f.message_type.add(name="FeatureLists")
    _map_entry(lists, "FeatureListEntry", ".tensorflow.FeatureList")
    _field(
        lists,
        "feature_list",
        1,
        _F.TYPE_MESSAGE,
        _REPEATED,
        ".tensorflow.FeatureLists.FeatureListEntry",
    )
    return f


def _example_file():
    f = _file("tensorflow/core/example/example.proto", ["tensorflow/core/example/feature.proto"])
    example = f.message_type.add(name="Example")
    _field(example, "features", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    sequence = f.message_type.add(name="SequenceExample")
    _field(sequence, "context", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    _field(sequence, "feature_lists", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")
    return f


def _types_file():
    f = _file("tensorflow/core/framework/types.proto")
    enum = f.enum_type.add(name="DataType")
    for name, number in DATA_TYPES.items():
        enum.value.add(name=name, number=number)
    return f


def _tensor_shape_file():
    f = _file("tensorflow/core/framework/tensor_shape.proto")
    shape = f.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    _field(dim, "size", 1, _F.TYPE_INT64)
    _field(dim, "name", 2, _F.TYPE_STRING)
    _field(shape, "dim", 2, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.TensorShapeProto.Dim")
    _field(shape, "unknown_rank", 3, _F.TYPE_BOOL)
    return f


def _tensor_file():
    f = _file(
        "tensorflow/core/framework/tensor.proto",
        ["tensorflow/core/framework/tensor_shape.proto", "tensorflow/core/framework/types.proto"],
    )
    tensor = f.message_type.add(name="TensorProto")
    _field(tensor, "dtype", 1, _F.TYPE_ENUM, type_name=".tensorflow.DataType")
    _field(tensor, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.TensorShapeProto")
    _field(tensor, "version_number", 3, _F.TYPE_INT32)
    _field(tensor, "tensor_content", 4, _F.TYPE_BYTES)
    # resource_handle_val (14) and variant_val (15) are left out: gpuflow has neither kind
    # of tensor; a record that holds them keeps them as unknown fields.
    for name, number, kind in (
        ("half_val", 13, _F.TYPE_INT32),
        ("float_val", 5, _F.TYPE_FLOAT),
        ("double_val", 6, _F.TYPE_DOUBLE),
        ("int_val", 7, _F.TYPE_INT32),
        ("scomplex_val", 9, _F.TYPE_FLOAT),
        ("int64_val", 10, _F.TYPE_INT64),
        ("bool_val", 11, _F.TYPE_BOOL),
        ("dcomplex_val", 12, _F.TYPE_DOUBLE),
        ("uint32_val", 16, _F.TYPE_UINT32),
        ("uint64_val", 17, _F.TYPE_UINT64),
    ):
        _field(tensor, name, number, kind, _REPEATED, packed=True)
    _field(tensor, "string_val", 8, _F.TYPE_BYTES, _REPEATED)
    _field(tensor, "float8_val", 18, _F.TYPE_BYTES)
    return f


_POOL = descriptor_pool.DescriptorPool()
for _proto in (
    _feature_file(),
    _example_file(),
    _types_file(),
    _tensor_shape_file(),
    _tensor_file(),
):
    _POOL.Add(_proto)
del _proto


def _message_class(name: str):
    descriptor = _POOL.FindMessageTypeByName("tensorflow." + name)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is not None:
        return get(descriptor)
    return message_factory.MessageFactory(_POOL).GetPrototype(descriptor)  # protobuf < 4.22


BytesList = _message_class("BytesList")
FloatList = _message_class("FloatList")
Int64List = _message_class("Int64List")
Feature = _message_class("Feature")
Features = _message_class("Features")
FeatureList = _message_class("FeatureList")
FeatureLists = _message_class("FeatureLists")
Example = _message_class("Example")
SequenceExample = _message_class("SequenceExample")
TensorShapeProto = _message_class("TensorShapeProto")
TensorProto = _message_class("TensorProto")

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
    "TensorProto",
    "TensorShapeProto",
]
