"""``tf.test.Benchmark``: subclass it, time something in a ``benchmark*`` method and call
``self.report_benchmark(...)``.

Each report is TensorFlow's ``BenchmarkEntries`` protobuf (``test_log.proto``, built here
from its descriptor as ``io/protos.py`` builds the record protos): printed in text format,
or written in binary to ``$TEST_REPORT_FILE_PREFIX<name>`` when that variable is set, as
TensorFlow's benchmark tooling reads it.
"""

from __future__ import annotations

import inspect
import numbers
import os

from google.protobuf import descriptor_pb2, wrappers_pb2

from . import nest
from .io.protos import _F, _REPEATED, POOL, _map_entry, field, message_class, proto_file
from .tensor import Tensor

_REPORT_PREFIX_ENV = "TEST_REPORT_FILE_PREFIX"  # TensorFlow's TEST_REPORTER_TEST_ENV


def _test_log_file():
    f = proto_file("xla/tsl/protobuf/test_log.proto", ["google/protobuf/wrappers.proto"])
    entry_value = f.message_type.add(name="EntryValue")
    entry_value.oneof_decl.add(name="kind")
    field(entry_value, "double_value", 1, _F.TYPE_DOUBLE, oneof=0)
    field(entry_value, "string_value", 2, _F.TYPE_STRING, oneof=0)
    metric = f.message_type.add(name="MetricEntry")
    field(metric, "name", 1, _F.TYPE_STRING)
    field(metric, "value", 2, _F.TYPE_DOUBLE)
    for number, bound in ((3, "min_value"), (4, "max_value")):
        field(metric, bound, number, _F.TYPE_MESSAGE, type_name=".google.protobuf.DoubleValue")
    entry = f.message_type.add(name="BenchmarkEntry")
    field(entry, "name", 1, _F.TYPE_STRING)
    field(entry, "iters", 2, _F.TYPE_INT64)
    for number, name in ((3, "cpu_time"), (4, "wall_time"), (5, "throughput")):
        field(entry, name, number, _F.TYPE_DOUBLE)
    _map_entry(entry, "ExtrasEntry", ".tensorflow.EntryValue")
    field(entry, "extras", 6, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.BenchmarkEntry.ExtrasEntry")
    field(entry, "metrics", 7, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.MetricEntry")
    entries = f.message_type.add(name="BenchmarkEntries")
    field(entries, "entry", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.BenchmarkEntry")
    return f


POOL.Add(descriptor_pb2.FileDescriptorProto.FromString(wrappers_pb2.DESCRIPTOR.serialized_pb))
POOL.Add(_test_log_file())
BenchmarkEntries = message_class("BenchmarkEntries")


def _entries(name, iters, cpu_time, wall_time, throughput, extras, metrics):
    """The BenchmarkEntries message of one report; TypeError for a malformed argument."""
    entries = BenchmarkEntries()
    entry = entries.entry.add(name=name)
    for attribute, value in (
        ("iters", iters),
        ("cpu_time", cpu_time),
        ("wall_time", wall_time),
        ("throughput", throughput),
    ):
        if value is not None:
            setattr(entry, attribute, value)
    if extras is not None:
        if not isinstance(extras, dict):
            raise TypeError("extras must be a dict")
        for key, value in extras.items():
            if isinstance(value, numbers.Number):
                entry.extras[key].double_value = value
            else:
                entry.extras[key].string_value = str(value)
    if metrics is not None:
        if not isinstance(metrics, list):
            raise TypeError("metrics must be a list")
        for metric in metrics:
            for required in ("name", "value"):
                if required not in metric:
                    raise TypeError(f"metric must has a '{required}' field")
            added = entry.metrics.add(name=metric["name"], value=metric["value"])
            for bound in ("min_value", "max_value"):
                if bound in metric:
                    getattr(added, bound).value = metric[bound]
    return entries


class Benchmark:
    """Base of benchmark classes: methods named ``benchmark*`` time something and call
    :meth:`report_benchmark`."""

    @classmethod
    def is_abstract(cls) -> bool:
        """Whether this is ``Benchmark`` itself rather than a subclass."""
        return cls is Benchmark

    def _get_name(self, overwrite_name=None) -> str:
        """``Class.method``: the outermost method of a Benchmark on the stack (or ``name``)."""
        method = None
        for frame_info in reversed(inspect.stack(0)):
            if isinstance(frame_info.frame.f_locals.get("self"), Benchmark):
                method = frame_info.function
                break
        return f"{type(self).__name__}.{overwrite_name or method}"

    def report_benchmark(
        self,
        iters=None,
        cpu_time=None,
        wall_time=None,
        throughput=None,
        extras=None,
        name=None,
        metrics=None,
    ) -> None:
        """Report one benchmark: times in seconds, ``throughput`` in MB/s, ``extras`` a dict
        of numbers or strings, ``metrics`` a list of ``{"name", "value"[, "min_value",
        "max_value"]}``; ``name`` replaces the calling method's name."""
        full_name = self._get_name(overwrite_name=name)
        entries = _entries(full_name, iters, cpu_time, wall_time, throughput, extras, metrics)
        prefix = os.environ.get(_REPORT_PREFIX_ENV)
        if prefix is None:
            print(str(entries))
            return
        path = prefix + full_name.replace("/", "__")
        if os.path.exists(path):
            raise OSError(f"File already exists: {path}")
        with open(path, "wb") as out:
            out.write(entries.SerializeToString())

    def evaluate(self, tensors):
        """The NumPy values of a tensor or a nested structure of tensors."""
        return nest.map_structure(lambda t: t.numpy() if isinstance(t, Tensor) else t, tensors)

    def run_op_benchmark(self, sess, op_or_tensor, *args, **kwargs):
        raise NotImplementedError(
            "Benchmark.run_op_benchmark runs a TensorFlow 1 session, which gpuflow does not "
            "support: time the op (or a tf.function calling it) in a benchmark method and "
            "call self.report_benchmark(iters=..., wall_time=...)"
        )
