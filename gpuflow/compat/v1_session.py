"""``tf.compat.v1.ConfigProto``, ``GPUOptions`` and ``Session`` as TensorFlow 2 runs them
eagerly: the GPU set-up lines many TF 2 scripts still start with::

    config = tf.compat.v1.ConfigProto()
    config.gpu_options.allow_growth = True
    session = tf.compat.v1.Session(config=config)

The options are real protobuf messages with TensorFlow's field names and numbers
(``tensorflow/core/protobuf/config.proto``, the fields such scripts set), so unknown fields
are refused and ``str()`` prints TensorFlow's text format. A session is created, entered and
closed as in TensorFlow; its ``run`` computes TF 1 graph tensors with the placeholders fed
from ``feed_dict`` (v1_run.py) and reads the values of eager tensors. gpuflow's device memory
grows on demand anyway (CuPy's pool), so ``allow_growth`` is what it does already.
"""

from __future__ import annotations

import contextlib

from ..graph.graph_view import Graph, default_graph
from ..io.protos import _F, _REPEATED, POOL, field, message_class, proto_file
from .v1_default_session import SESSIONS


def _config_file():
    f = proto_file("tensorflow/core/protobuf/config.proto")
    gpu = f.message_type.add(name="GPUOptions")
    for name, number, kind in (
        ("per_process_gpu_memory_fraction", 1, _F.TYPE_DOUBLE),
        ("allocator_type", 2, _F.TYPE_STRING),
        ("deferred_deletion_bytes", 3, _F.TYPE_INT64),
        ("allow_growth", 4, _F.TYPE_BOOL),
        ("visible_device_list", 5, _F.TYPE_STRING),
        ("polling_active_delay_usecs", 6, _F.TYPE_INT32),
        ("polling_inactive_delay_msecs", 7, _F.TYPE_INT32),
        ("force_gpu_compatible", 8, _F.TYPE_BOOL),
    ):
        field(gpu, name, number, kind)

    optimizer = f.message_type.add(name="OptimizerOptions")
    level = optimizer.enum_type.add(name="Level")
    level.value.add(name="L1", number=0)
    level.value.add(name="L0", number=-1)
    jit = optimizer.enum_type.add(name="GlobalJitLevel")
    for name, number in (("DEFAULT", 0), ("OFF", -1), ("ON_1", 1), ("ON_2", 2)):
        jit.value.add(name=name, number=number)
    field(optimizer, "do_common_subexpression_elimination", 1, _F.TYPE_BOOL)
    field(optimizer, "do_constant_folding", 2, _F.TYPE_BOOL)
    field(optimizer, "opt_level", 3, _F.TYPE_ENUM, type_name=".tensorflow.OptimizerOptions.Level")
    field(optimizer, "do_function_inlining", 4, _F.TYPE_BOOL)
    field(
        optimizer,
        "global_jit_level",
        5,
        _F.TYPE_ENUM,
        type_name=".tensorflow.OptimizerOptions.GlobalJitLevel",
    )
    field(optimizer, "max_folded_constant_in_bytes", 6, _F.TYPE_INT64)
    field(optimizer, "cpu_global_jit", 7, _F.TYPE_BOOL)

    graph = f.message_type.add(name="GraphOptions")
    field(graph, "enable_recv_scheduling", 2, _F.TYPE_BOOL)
    field(graph, "optimizer_options", 3, _F.TYPE_MESSAGE, type_name=".tensorflow.OptimizerOptions")
    field(graph, "build_cost_model", 4, _F.TYPE_INT64)
    field(graph, "infer_shapes", 5, _F.TYPE_BOOL)
    field(graph, "place_pruned_graph", 6, _F.TYPE_BOOL)
    field(graph, "enable_bfloat16_sendrecv", 7, _F.TYPE_BOOL)
    field(graph, "timeline_step", 8, _F.TYPE_INT32)
    field(graph, "build_cost_model_after", 9, _F.TYPE_INT64)

    config = f.message_type.add(name="ConfigProto")
    entry = config.nested_type.add(name="DeviceCountEntry")
    entry.options.map_entry = True
    field(entry, "key", 1, _F.TYPE_STRING)
    field(entry, "value", 2, _F.TYPE_INT32)
    field(
        config,
        "device_count",
        1,
        _F.TYPE_MESSAGE,
        _REPEATED,
        type_name=".tensorflow.ConfigProto.DeviceCountEntry",
    )
    field(config, "intra_op_parallelism_threads", 2, _F.TYPE_INT32)
    field(config, "placement_period", 3, _F.TYPE_INT32)
    field(config, "device_filters", 4, _F.TYPE_STRING, _REPEATED)
    field(config, "inter_op_parallelism_threads", 5, _F.TYPE_INT32)
    field(config, "gpu_options", 6, _F.TYPE_MESSAGE, type_name=".tensorflow.GPUOptions")
    field(config, "allow_soft_placement", 7, _F.TYPE_BOOL)
    field(config, "log_device_placement", 8, _F.TYPE_BOOL)
    field(config, "use_per_session_threads", 9, _F.TYPE_BOOL)
    field(config, "graph_options", 10, _F.TYPE_MESSAGE, type_name=".tensorflow.GraphOptions")
    field(config, "operation_timeout_in_ms", 11, _F.TYPE_INT64)
    field(config, "isolate_session_state", 15, _F.TYPE_BOOL)
    return f


POOL.Add(_config_file())
GPUOptions = message_class("GPUOptions")
OptimizerOptions = message_class("OptimizerOptions")
GraphOptions = message_class("GraphOptions")
ConfigProto = message_class("ConfigProto")


class Session:
    """``tf.compat.v1.Session`` under eager execution: made, entered and closed as in
    TensorFlow 2; :meth:`run` reads eager values."""

    _owns_variables = True  # its own values of the graph variables (v1_session_vars.py)

    def __init__(self, target="", graph=None, config=None) -> None:
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError(
                f"{type(self).__name__}: config must be a tf.compat.v1.ConfigProto, received "
                f"{type(config).__name__}"
            )
        self._target = target.encode() if isinstance(target, str) else bytes(target)
        self._graph = graph if graph is not None else (default_graph() or Graph())
        self._config = config
        self._closed = False
        self._random_streams: dict = {}  # its seeded random ops' state (v1_random.py)

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self) -> bytes:
        return self._target

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """The values of ``fetches`` (TF 1 graph tensors and operations, variables, eager
        tensors, or a list/tuple/dict of them) as NumPy arrays, the placeholders fed from
        ``feed_dict`` (v1_run.py); operations give None."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        from .v1_run import run

        self._use_variables()
        return run(fetches, feed_dict, _by_name, self._random_streams)

    def _use_variables(self) -> None:
        """Put this session's values of the graph variables in place (v1_session_vars.py)."""
        from .v1_session_vars import activate

        activate(self)

    def close(self) -> None:
        self._closed = True

    @contextlib.contextmanager
    def as_default(self):
        """Within the block, ``tensor.eval()`` and ``op.run()`` use this session."""
        SESSIONS.stack.append(self)
        self._use_variables()
        try:
            yield self
        finally:
            SESSIONS.stack.remove(self)

    def __enter__(self):
        SESSIONS.stack.append(self)
        self._use_variables()
        return self

    def __exit__(self, *exc) -> None:
        if self in SESSIONS.stack:
            SESSIONS.stack.remove(self)
        self.close()

    def __del__(self) -> None:
        self._closed = True

    def list_devices(self) -> list:
        return []


def _by_name(name: str):
    """The tensor (``"x:0"``) or operation (``"train"``) of that name in the graph."""
    from .v1_collections import state

    found = state().by_name.get(name)
    if found is None:
        raise TypeError(
            f"Session.run: the name {name!r} refers to no tensor or operation in the graph"
        )
    return found


class InteractiveSession(Session):
    """``tf.compat.v1.InteractiveSession``: a :class:`Session` that makes itself the
    default session (``tensor.eval()`` without a ``with`` block) until closed."""

    def __init__(self, target="", graph=None, config=None) -> None:
        super().__init__(target, graph, config)
        SESSIONS.stack.append(self)
        self._use_variables()

    def close(self) -> None:
        if self in SESSIONS.stack:
            SESSIONS.stack.remove(self)
        super().close()
