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


def field(message, name, number, kind, label=_OPTIONAL, type_name=None, packed=False, oneof=None):
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
    field(entry, "key", 1, _F.TYPE_STRING)
    field(entry, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)


def proto_file(name: str, dependencies=()) -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(name=name, package="tensorflow", syntax="proto3")
    proto.dependency.extend(dependencies)
    return proto


def _feature_file():
    f = proto_file("tensorflow/core/example/feature.proto")
    field(f.message_type.add(name="BytesList"), "value", 1, _F.TYPE_BYTES, _REPEATED)
    field(f.message_type.add(name="FloatList"), "value", 1, _F.TYPE_FLOAT, _REPEATED, packed=True)
    field(f.message_type.add(name="Int64List"), "value", 1, _F.TYPE_INT64, _REPEATED, packed=True)
    feature = f.message_type.add(name="Feature")
    feature.oneof_decl.add(name="kind")
    for number, kind in enumerate(("bytes_list", "float_list", "int64_list"), 1):
        type_name = ".tensorflow." + {"bytes": "BytesList", "float": "FloatList"}.get(
            kind.split("_")[0], "Int64List"
        )
        field(feature, kind, number, _F.TYPE_MESSAGE, type_name=type_name, oneof=0)
    features = f.message_type.add(name="Features")
    _map_entry(features, "FeatureEntry", ".tensorflow.Feature")
    field(features, "feature", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.Features.FeatureEntry")
    feature_list = f.message_type.add(name="FeatureList")
    field(feature_list, "feature", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.Feature")
    lists = f.message_type.add(name="FeatureLists")
    _map_entry(lists, "FeatureListEntry", ".tensorflow.FeatureList")
    field(
        lists,
        "feature_list",
        1,
        _F.TYPE_MESSAGE,
        _REPEATED,
        ".tensorflow.FeatureLists.FeatureListEntry",
    )
    return f


def _example_file():
    f = proto_file(
        "tensorflow/core/example/example.proto", ["tensorflow/core/example/feature.proto"]
    )
    example = f.message_type.add(name="Example")
    field(example, "features", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    sequence = f.message_type.add(name="SequenceExample")
    field(sequence, "context", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    field(sequence, "feature_lists", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")
    return f


def _types_file():
    f = proto_file("tensorflow/core/framework/types.proto")
    enum = f.enum_type.add(name="DataType")
    for name, number in DATA_TYPES.items():
        enum.value.add(name=name, number=number)
    return f


def _tensor_shape_file():
    f = proto_file("tensorflow/core/framework/tensor_shape.proto")
    shape = f.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    field(dim, "size", 1, _F.TYPE_INT64)
    field(dim, "name", 2, _F.TYPE_STRING)
    field(shape, "dim", 2, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.TensorShapeProto.Dim")
    field(shape, "unknown_rank", 3, _F.TYPE_BOOL)
    return f


def _tensor_file():
    f = proto_file(
        "tensorflow/core/framework/tensor.proto",
        ["tensorflow/core/framework/tensor_shape.proto", "tensorflow/core/framework/types.proto"],
    )
    tensor = f.message_type.add(name="TensorProto")
    field(tensor, "dtype", 1, _F.TYPE_ENUM, type_name=".tensorflow.DataType")
    field(tensor, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.TensorShapeProto")
    field(tensor, "version_number", 3, _F.TYPE_INT32)
    field(tensor, "tensor_content", 4, _F.TYPE_BYTES)
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
        field(tensor, name, number, kind, _REPEATED, packed=True)
    field(tensor, "string_val", 8, _F.TYPE_BYTES, _REPEATED)
    field(tensor, "float8_val", 18, _F.TYPE_BYTES)
    return f


POOL = descriptor_pool.DescriptorPool()
for _proto in (
    _feature_file(),
    _example_file(),
    _types_file(),
    _tensor_shape_file(),
    _tensor_file(),
):
    POOL.Add(_proto)
del _proto


def message_class(name: str):
    descriptor = POOL.FindMessageTypeByName("tensorflow." + name)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is not None:
        return get(descriptor)
    return message_factory.MessageFactory(POOL).GetPrototype(descriptor)  # protobuf < 4.22


BytesList = message_class("BytesList")
FloatList = message_class("FloatList")
Int64List = message_class("Int64List")
Feature = message_class("Feature")
Features = message_class("Features")
FeatureList = message_class("FeatureList")
FeatureLists = message_class("FeatureLists")
Example = message_class("Example")
SequenceExample = message_class("SequenceExample")
TensorShapeProto = message_class("TensorShapeProto")
TensorProto = message_class("TensorProto")

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
