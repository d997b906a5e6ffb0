"""TF 1 variables: ``tf.compat.v1.Variable`` and ``get_variable`` in graph mode give a
:class:`GraphVariable` (a GraphTensor over a gpuflow Variable) that must be initialized
before use; ``global_variables_initializer`` and friends, ``assign`` ops."""

from __future__ import annotations

import sys

import numpy as np

from .. import dtypes
from ..tensor import Tensor, Variable
from . import v1_collections as collections
from . import v1_record  # noqa: F401 - installs GraphTensor's operators
from .v1_graph import (
    CallNode,
    GraphOperation,
    GraphTensor,
    Node,
    computing,
    graph_mode,
    has_graph_tensor,
)
from .v1_scopes import AUTO_REUSE, get_variable_scope
from .v1_session_vars import activate, register


def _gpuflow():
    return sys.modules["gpuflow"]


class VariableNode(Node):
    def __init__(self, variable: GraphVariable, name: str) -> None:
        self.variable = variable
        super().__init__("VariableV2", name)

    def compute(self, run):
        var = self.variable
        if not var._initialized and not run.unchecked:
            from ..errors import FailedPreconditionError

            raise FailedPreconditionError(
                None,
                None,
                f"Could not find variable {self.name}. This could mean that the variable has "
                "been deleted. In TF1, it can also mean the variable is uninitialized: run its "
                "initializer (tf.compat.v1.global_variables_initializer()) first.",
            )
        return var._var


class GraphVariable(GraphTensor):
    """A TF 1 graph variable: read in ``Session.run`` once its initializer has run."""

    def __init__(self, initial_value, trainable=True, name=None, dtype=None, collections_=None,
                 constraint=None, variable=None) -> None:  # fmt: skip
        """``variable``: a gpuflow Variable to stand for (a Keras layer's weight) instead
        of a new one; ``initial_value`` is then its value now."""
        from .v1_run import evaluate_now

        self._initial = initial_value
        value = evaluate_now(initial_value) if has_graph_tensor(initial_value) else initial_value
        tf = _gpuflow()
        value = tf.convert_to_tensor(value, dtype=dtype) if dtype is not None else value
        value = value if isinstance(value, Tensor) else tf.convert_to_tensor(value)
        node = VariableNode(self, name or "Variable")
        if variable is not None:
            self._var = variable
        else:
            with computing():  # the gpuflow Variable underneath, not another graph variable
                self._var = Variable(value, trainable=trainable, name=node.name, dtype=value.dtype)
        self._initialized = False
        register(self)  # its values are per session
        self._trainable = bool(trainable)
        self.constraint = constraint
        super().__init__(node, (), (self._var, self._var), shape=tuple(value.shape))
        keys = (
            collections_ if collections_ is not None else [collections.GraphKeys.GLOBAL_VARIABLES]
        )
        if trainable and collections.GraphKeys.TRAINABLE_VARIABLES not in keys:
            keys = list(keys) + [collections.GraphKeys.TRAINABLE_VARIABLES]
        for key in keys:
            collections.add_to_collection(key, self)
        self._initializer_op = GraphOperation(
            CallNode(self._initialize, "Assign", f"{node.name}/Assign", [initial_value])
        )

    def _initialize(self, run):
        initial = self._initial
        value = run.substitute(initial) if has_graph_tensor(initial) else initial
        self._var.assign(value)
        self._initialized = True

    # -- TF 1 Variable API --------------------------------------------------------------------
    trainable = property(lambda self: self._trainable)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial)

    @property
    def name(self) -> str:
        return f"{self._node.name}:0"

    def initialized_value(self):
        return self

    def value(self):
        return self

    def read_value(self):
        return _gpuflow().identity(self)

    def _update(self, kind: str, value, op: str, name=None):
        def action(run):
            if not self._initialized and kind != "assign":
                self._node.compute(run)  # raises: reading an uninitialized value
            v = run.substitute(value)
            getattr(self._var, kind)(v)
            self._initialized = True
            return self._var.read_value()

        node = CallNode(action, op, name, [value])
        return GraphTensor(node, (), (self._var, self._var), shape=tuple(self._shape))

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._update("assign", value, "Assign", name)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_add", delta, "AssignAdd", name)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_sub", delta, "AssignSub", name)

    def load(self, value, session=None) -> None:
        from .v1_default_session import default_session_for

        activate(default_session_for("Variable.load", session))
        self._var.assign(value)
        self._initialized = True

    def _checkpoint_value(self):
        """This variable as ``tf.train.Checkpoint`` tracks it: a value read once initialized
        (TF's FailedPreconditionError before); a restore assigns it, and assigns it again in
        ``status.run_restore_ops()`` (an initializer may have run in between), and
        ``initialize_or_restore`` runs its initializer when the checkpoint had no value."""
        import types

        from ..train.graph import Value

        def get():
            self._node.compute(types.SimpleNamespace(unchecked=False))  # raises if uninitialized
            with computing():
                return self._var.numpy()

        def set_(value):
            with computing():
                self._var.assign(value)
            self._initialized = True
            tracked.restored = value

        def initialize():
            from .v1_run import Run

            self._initialize(Run({}))

        tracked = Value(get, set_, self._dtype.as_numpy_dtype, tuple(self._shape))
        tracked.name, tracked.restored, tracked.initialize = self._node.name, None, initialize
        return tracked

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    __str__ = __repr__


def is_variable(value) -> bool:
    return isinstance(value, (GraphVariable, Variable))


def make_variable(initial_value=None, trainable=None, name=None, dtype=None, collections=None,
                  constraint=None, **kwargs):  # fmt: skip
    """``tf.compat.v1.Variable``: a GraphVariable in graph mode, else TF 2's Variable."""
    if trainable is None:
        trainable = True
    if callable(initial_value) and not isinstance(initial_value, Tensor):
        initial_value = initial_value()
    if not graph_mode():
        return Variable(initial_value, trainable=trainable, name=name, dtype=dtype)
    return GraphVariable(initial_value, trainable, name, dtype, collections, constraint)


def _variable_in_graph(args, kwargs):
    """``tf.Variable(...)`` in graph mode: a GraphVariable (variable_creator.GRAPH_HOOK)."""
    if not graph_mode():
        return None
    names = ("initial_value", "trainable", "name", "dtype")
    values = dict(zip(names, args))
    values.update({k: v for k, v in kwargs.items() if k in names or k == "constraint"})
    return make_variable(**values)


def install_variable_hook() -> None:
    from ..variable_creator import GRAPH_HOOK

    GRAPH_HOOK[0] = _variable_in_graph


def _initial_value(initializer, shape, dtype, name):
    tf = _gpuflow()
    if initializer is None:
        dt = dtypes.as_dtype(dtype)
        if dt.is_floating:
            initializer = tf.keras.initializers.GlorotUniform()
        elif dt.is_integer or dt.is_bool:
            initializer = tf.zeros_initializer()
        else:
            raise ValueError(f"An initializer for variable {name} of {dt.name} is required")
    if isinstance(initializer, (Tensor, GraphTensor, np.ndarray, list, float, int)):
        if shape is not None and not isinstance(initializer, (float, int)):
            raise ValueError("If initializer is a constant, do not specify shape.")
        return (
            tf.cast(initializer, dtype) if not isinstance(initializer, GraphTensor) else initializer
        )
    if isinstance(initializer, type):
        initializer = initializer()
    if shape is None:
        raise ValueError(f"The shape of variable {name} must be given (it has an initializer)")
    shape = [int(d) for d in shape]
    try:
        return initializer(shape, dtype=dtype)
    except TypeError:
        return initializer(shape)


def get_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=None,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape=True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
):
    """The variable ``scope/name``: made (reuse False), found (reuse True) or either
    (AUTO_REUSE), as TensorFlow's variable store decides."""
    from . import v1_collections as store_module

    scope = get_variable_scope()
    full = f"{scope.name}/{name}" if scope.name else name
    store = store_module.state().variables
    found = store.get(full)
    if found is not None:
        if scope.reuse is False or scope.reuse is None:
            raise ValueError(
                f"Variable {full} already exists, disallowed. Did you mean to set reuse=True "
                "or reuse=tf.AUTO_REUSE in VarScope?"
            )
        if shape is not None and not found.shape.is_compatible_with(shape):
            raise ValueError(
                f"Trying to share variable {full}, but specified shape {list(shape)} and found "
                f"shape {found.shape}."
            )
        return found
    if scope.reuse is True:
        raise ValueError(
            f"Variable {full} does not exist, or was not created with tf.get_variable(). Did "
            "you mean to set reuse=tf.AUTO_REUSE in VarScope?"
        )
    dtype = dtypes.as_dtype(dtype or scope.dtype or "float32").name
    initializer = initializer if initializer is not None else scope.initializer
    initial = _initial_value(initializer, shape, dtype, full)
    trainable = True if trainable is None else trainable
    constraint = constraint if constraint is not None else scope.constraint
    if graph_mode():
        from .v1_scopes import _stacks

        saved = list(_stacks.names)
        _stacks.names.clear()  # get_variable names ignore name scopes, as TensorFlow
        try:
            var = GraphVariable(initial, trainable, full, dtype, collections, constraint)
        finally:
            _stacks.names[:] = saved
    else:
        var = Variable(initial, trainable=trainable, name=full, dtype=dtype)
        store_module.add_to_collection(store_module.GraphKeys.GLOBAL_VARIABLES, var)
        if trainable:
            store_module.add_to_collection(store_module.GraphKeys.TRAINABLE_VARIABLES, var)
    store[full] = var
    regularizer = regularizer if regularizer is not None else scope.regularizer
    if regularizer is not None:
        loss = regularizer(var)
        if loss is not None:
            store_module.add_to_collection(store_module.GraphKeys.REGULARIZATION_LOSSES, loss)
    return var


def get_local_variable(name, shape=None, dtype=None, initializer=None, **kwargs):
    kwargs["collections"] = [collections.GraphKeys.LOCAL_VARIABLES]
    kwargs["trainable"] = False
    return get_variable(name, shape, dtype, initializer, **kwargs)


def variables_initializer(var_list, name="init"):
    """One op running each variable's initializer."""
    ops = [v.initializer for v in var_list if isinstance(v, GraphVariable)]

    def run_all(run):
        return None

    return GraphOperation(CallNode(run_all, "NoOp", name, ops))


def global_variables_initializer():
    return variables_initializer(collections.global_variables(), "init")


def local_variables_initializer():
    return variables_initializer(collections.local_variables(), "init_1")


def tables_initializer(name="init_all_tables"):
    return variables_initializer([], name)


def is_variable_initialized(variable):
    return _gpuflow().constant(bool(getattr(variable, "_initialized", True)))


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    var_list = collections.global_variables() if var_list is None else var_list
    names = [v._node.name for v in var_list if not getattr(v, "_initialized", True)]
    return _gpuflow().constant(np.array([n.encode() for n in names], dtype=object))


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value, name=name)


__all__ = ["AUTO_REUSE", "GraphVariable", "get_variable", "make_variable"]
